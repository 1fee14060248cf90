package io.partynet.core.internal.keys;

import io.partynet.Key;
import io.partynet.protocol.internal.PrivateKeyFile;
import io.partynet.protocol.internal.files.AtomicFiles;
import io.partynet.core.internal.persist.PrivateFiles;
import io.partynet.core.internal.persist.FileLocks;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a member's private key in {@code <keys dir>/private.key}: base64 as {@code wg genkey}
 * writes it, file mode 0600 in a 0700 directory, created atomically on first use. Creation is
 * serialised across threads and processes by a lock file, so two members starting at once on one
 * home agree on one key. Nothing here logs private key material.
 *
 * <p>Thread-safe.
 */
public final class PrivateKeyStore {
  public static final String FILE_NAME = PrivateKeyFile.FILE_NAME;

  private static final Logger log = LoggerFactory.getLogger(PrivateKeyStore.class);
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
  private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(10);
  private static final Object IN_PROCESS_LOCK = new Object();

  private PrivateKeyStore() {}

  /**
   * Loads the key pair stored in {@code keysDir}, or creates and stores a new one.
   *
   * @throws IOException when the key file cannot be read or written, or holds something that is
   *     not a WireGuard private key (it is then left untouched)
   */
  public static WireGuardKeyPair loadOrCreate(Path keysDir) throws IOException {
    Path dir = keysDir.toAbsolutePath();
    prepareDirectory(dir);
    Path file = dir.resolve(FILE_NAME);
    synchronized (IN_PROCESS_LOCK) {
      PrivateFiles.createFile(dir.resolve(FILE_NAME + ".lock"));
      try (FileChannel lockFile = FileChannel.open(dir.resolve(FILE_NAME + ".lock"),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        FileLock lock = lockWithTimeout(lockFile, dir);
        try {
          return Files.exists(file) ? load(file) : create(file);
        } finally {
          lock.release();
        }
      }
    }
  }

  private static WireGuardKeyPair create(Path file) throws IOException {
    WireGuardKeyPair created = WireGuardKeys.generateKeyPair();
    AtomicFiles.write(file, PrivateKeyFile.encode(created.privateKey()),
        posix(file.getParent()) ? OWNER_ONLY_FILE : null);
    log.info("Created a new WireGuard key pair in {}; public key {}", file, created.publicKey().toBase64());
    return created;
  }

  private static WireGuardKeyPair load(Path file) throws IOException {
    if (posix(file)) {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
      if (!mode.equals(OWNER_ONLY_FILE)) {
        log.warn("Private key file {} had mode {}; restricting it to rw-------", file,
            PosixFilePermissions.toString(mode));
        Files.setPosixFilePermissions(file, OWNER_ONLY_FILE);
      }
    }
    Key privateKey = PrivateKeyFile.read(file);
    return new WireGuardKeyPair(privateKey, WireGuardKeys.publicKey(privateKey));
  }

  private static void prepareDirectory(Path dir) throws IOException {
    if (posix(dir.getParent() == null ? dir : dir.getParent())) {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
      }
      Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
    } else {
      Files.createDirectories(dir);
    }
  }

  private static FileLock lockWithTimeout(FileChannel channel, Path dir) throws IOException {
    return FileLocks.acquire(channel, System.nanoTime() + LOCK_TIMEOUT.toNanos()).orElseThrow(() ->
        new IOException("another process has held the key store lock in " + dir + " for "
            + LOCK_TIMEOUT.toSeconds() + " s; is a PartyNet member stuck while creating its key?"));
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
