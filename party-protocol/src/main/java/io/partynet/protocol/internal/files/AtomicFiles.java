package io.partynet.protocol.internal.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Replaces a file's content atomically: the bytes go to a temporary file in the same directory,
 * are forced to the device, the temporary file is renamed over the target in one step, and the
 * directory entry is forced too. A crash at any moment leaves either the old or the new content.
 *
 * <p>Thread-safe (stateless); concurrent writers of one target must be serialised by the caller,
 * the last rename wins.
 */
public final class AtomicFiles {
  private static final String TEMP_SUFFIX = ".tmp";
  private static final boolean WINDOWS =
      System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

  private AtomicFiles() {}

  /** Atomically replaces {@code target} with {@code content}, keeping default permissions. */
  public static void write(Path target, byte[] content) throws IOException {
    write(target, content, null);
  }

  /**
   * Atomically replaces {@code target} with {@code content}. When {@code permissions} is not null
   * and the file system is POSIX, the temporary file is created with exactly those permissions,
   * so the content is never readable by others, not even for an instant.
   */
  public static void write(Path target, byte[] content, Set<PosixFilePermission> permissions)
      throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Path temp = dir.resolve(tempPrefix(absolute) + Long.toUnsignedString(
        ThreadLocalRandom.current().nextLong(), 36) + TEMP_SUFFIX);
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE), attributes(dir, permissions))) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
      moved = true;
      forceDirectory(dir);
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /**
   * Deletes temporary files a crash left behind next to {@code target}; returns how many. Call
   * this only while no writer of {@code target} runs.
   */
  public static int deleteLeftoverTemporaries(Path target) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    String prefix = tempPrefix(absolute);
    List<Path> leftovers = new ArrayList<>();
    try (Stream<Path> entries = Files.list(dir)) {
      entries.filter(p -> {
        String name = p.getFileName().toString();
        return name.startsWith(prefix) && name.endsWith(TEMP_SUFFIX);
      }).forEach(leftovers::add);
    }
    for (Path leftover : leftovers) {
      Files.deleteIfExists(leftover);
    }
    return leftovers.size();
  }

  /** Forces a directory's entries (a rename inside it) to the device. */
  public static void forceDirectory(Path dir) throws IOException {
    if (WINDOWS) {
      // Windows cannot open a directory as a channel; NTFS journals the rename itself.
      return;
    }
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (FileSystemException e) {
      throw new IOException("could not fsync directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private static String tempPrefix(Path absoluteTarget) {
    return "." + absoluteTarget.getFileName() + ".";
  }

  private static FileAttribute<?>[] attributes(Path dir, Set<PosixFilePermission> permissions) {
    if (permissions == null
        || !dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[0];
    }
    return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)};
  }
}
