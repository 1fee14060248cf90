package io.partynet.control.local.internal;

import com.fasterxml.jackson.core.JacksonException;
import io.partynet.ControlPlaneUnavailableException;
import io.partynet.PartyException;
import io.partynet.core.internal.json.Json;
import io.partynet.protocol.internal.files.AtomicFiles;
import io.partynet.core.internal.persist.FileLocks;
import io.partynet.core.internal.persist.PrivateFiles;
import io.partynet.protocol.internal.files.Quarantine;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The discovery file on disk. Changes run as transactions: a lock held across threads of this JVM
 * and, through an OS file lock on {@code <file>.lock}, across processes; the document is read,
 * changed and atomically replaced. Readers need no lock because every replacement is one rename.
 * A file that does not parse is moved aside as {@code <name>.corrupt-<timestamp>}, never deleted.
 *
 * <p>Thread-safe.
 */
final class DiscoveryFile {
  private static final Logger log = LoggerFactory.getLogger(DiscoveryFile.class);
  /** A discovery file is small (a few parties); anything larger is damage or abuse. */
  static final long MAX_BYTES = 8L << 20;
  private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final Path path;
  private final Path lockPath;
  private final Duration lockTimeout;
  private final Clock clock;
  private final boolean shared;

  /**
   * @param shared true when the application declared the folder shared with other users
   *     ({@code control.local.shared-directory}): nothing is checked and files keep the default
   *     mode; otherwise the folder must be the current user's alone ({@link #requireTrusted()})
   */
  DiscoveryFile(Path path, Duration lockTimeout, Clock clock, boolean shared) {
    this.path = path.toAbsolutePath().normalize();
    this.lockPath = this.path.resolveSibling(this.path.getFileName() + ".lock");
    this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.shared = shared;
  }

  /**
   * Refuses a private folder that another user owns or can open, or that holds files planted by
   * another user: what is in it would be believed (members, their keys and endpoints).
   *
   * @throws io.partynet.UnsafeDirectoryException saying what is wrong and what to do
   */
  void requireTrusted() {
    if (!shared) {
      PrivateFiles.requireTrusted(path.getParent(), List.of(path, lockPath), "control.local.discovery-file");
    }
  }

  Path path() {
    return path;
  }

  /** A transaction body: gets the current document, returns the new one (or the same to write nothing). */
  interface Change<T> {
    Result<T> apply(DiscoveryDocument current);
  }

  /** The outcome of a {@link Change}: the document to store (null: unchanged) and the caller's value. */
  record Result<T>(DiscoveryDocument updated, T value) {}

  /** Runs {@code change} under both locks and stores what it returns. */
  <T> T transact(Change<T> change) {
    ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(path, p -> new ReentrantLock());
    long deadline = System.nanoTime() + lockTimeout.toNanos();
    try {
      if (!jvmLock.tryLock(lockTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw busy();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ControlPlaneUnavailableException("interrupted while waiting for the discovery file", e);
    }
    try {
      if (shared) {
        Files.createDirectories(path.getParent());
      } else {
        requireTrusted();
        PrivateFiles.createFile(lockPath);
      }
      try (FileChannel channel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
           FileLock ignored = acquire(channel, deadline)) {
        Result<T> result = change.apply(readLocked());
        if (result.updated() != null) {
          byte[] bytes = Json.mapper().writeValueAsBytes(result.updated());
          AtomicFiles.write(path, bytes, shared ? null : PrivateFiles.FILE);
        }
        return result.value();
      }
    } catch (IOException e) {
      throw new ControlPlaneUnavailableException("cannot use the discovery file " + path + ": " + e.getMessage()
          + ". Check that its folder exists and is writable (setting control.local.discovery-file)", e);
    } finally {
      jvmLock.unlock();
    }
  }

  /**
   * Reads the current document without locking (every replacement is one rename, so a reader never
   * sees half a file). Returns an empty document when the file is absent, and null when it is
   * unreadable: only a transaction, holding the lock, may move a damaged file aside.
   */
  DiscoveryDocument readUnlocked() {
    try {
      return parse();
    } catch (IOException | IllegalArgumentException e) {
      log.debug("discovery file {} unreadable for now: {}", path, e.getMessage());
      return null;
    }
  }

  private DiscoveryDocument readLocked() throws IOException {
    try {
      return parse();
    } catch (JacksonException | IllegalArgumentException | TooLarge e) {
      return quarantine(e.getMessage());
    }
  }

  private DiscoveryDocument parse() throws IOException {
    byte[] bytes;
    try {
      if (Files.size(path) > MAX_BYTES) {
        throw new TooLarge();
      }
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      return DiscoveryDocument.empty();
    }
    return Json.mapper().readValue(bytes, DiscoveryDocument.class);
  }

  /** The file exceeds {@link #MAX_BYTES}. */
  private static final class TooLarge extends IOException {
    TooLarge() {
      super("larger than " + MAX_BYTES + " bytes");
    }
  }

  /** The file's modification time and size, cheap to poll; null when absent. */
  Stamp stamp() {
    try {
      return new Stamp(Files.getLastModifiedTime(path), Files.size(path));
    } catch (IOException e) {
      return null;
    }
  }

  record Stamp(FileTime modified, long size) {}

  private DiscoveryDocument quarantine(String why) throws IOException {
    // Empty when another process quarantined it first.
    Quarantine.moveAside(path, clock).ifPresent(aside ->
        log.warn("Discovery file {} is unreadable ({}); moved it to {} and starting with no parties", path, why, aside));
    return DiscoveryDocument.empty();
  }

  private FileLock acquire(FileChannel channel, long deadline) throws IOException {
    try {
      return FileLocks.acquire(channel, deadline).orElseThrow(this::busy);
    } catch (InterruptedIOException e) {
      throw new ControlPlaneUnavailableException("interrupted while waiting for the discovery file", e);
    }
  }

  private PartyException busy() {
    return new ControlPlaneUnavailableException("the discovery file " + path + " stayed locked for "
        + lockTimeout.toMillis() + " ms: another PartyNet process may be stuck; try again");
  }
}
