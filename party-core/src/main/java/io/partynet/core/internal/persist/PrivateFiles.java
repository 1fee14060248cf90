package io.partynet.core.internal.persist;

import io.partynet.UnsafeDirectoryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Set;

/**
 * Files only their owner may use: directories {@code rwx------}, files {@code rw-------}. The
 * SDK's home and everything in it are kept this way (settings, state, keys, tokens), and a folder
 * the SDK must trust (the local control plane's) is checked to belong to the current user and be
 * closed to everybody else before anything in it is believed.
 *
 * <p>On file systems without POSIX permissions (Windows) only the owner is checked; the user's
 * profile folder is private there already. Stateless and thread-safe.
 */
public final class PrivateFiles {
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  private PrivateFiles() {}

  /** Creates {@code dir} (and missing parents) as {@code rwx------}, or restricts it to that when it exists. */
  public static void directory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try {
        Files.createDirectory(dir, attributes(dir.toAbsolutePath().getParent(), DIRECTORY));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // Another thread or process made it first: restricted below like any existing one.
      }
    }
    restrict(dir, DIRECTORY);
  }

  /** Restricts an existing file to {@code rw-------} (no-op without POSIX permissions). */
  public static void file(Path file) throws IOException {
    restrict(file, FILE);
  }

  /** Creates {@code file} empty as {@code rw-------} unless it exists, and restricts it either way. */
  public static void createFile(Path file) throws IOException {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      try {
        Files.createFile(file, attributes(file.toAbsolutePath().getParent(), FILE));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // made concurrently: restricted below
      }
    }
    file(file);
  }

  /**
   * Makes sure {@code dir} is a folder only the current user controls, and {@code files} in it (those
   * that exist) are the current user's: creates the folder {@code rwx------} when absent; refuses a
   * symbolic link, anything owned by another user, and anything group or others may write (someone
   * else could have planted content there). Something of the user's that others may only read is
   * tightened to {@code rwx------} / {@code rw-------} (an older version made it so).
   *
   * @param dir the folder to trust
   * @param files the files in it that will be read, checked like the folder
   * @param setting the setting that chooses another folder, named in the error
   * @throws UnsafeDirectoryException naming the path, its owner or mode, and what to do
   */
  public static void requireTrusted(Path dir, List<Path> files, String setting) {
    try {
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        directory(dir);
      }
      if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw unsafe(dir, "is not a plain folder (a symbolic link or a file)", setting);
      }
      requireOwnedAndUnwritable(dir, DIRECTORY, setting);
      for (Path file : files) {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
          if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw unsafe(file, "is not a plain file (a symbolic link or a folder)", setting);
          }
          requireOwnedAndUnwritable(file, FILE, setting);
        }
      }
    } catch (IOException e) {
      throw new UnsafeDirectoryException("Cannot check the folder " + dir + ": " + e.getMessage()
          + ". Make sure it can be created and read, or choose another one with " + setting, e);
    }
  }

  private static void requireOwnedAndUnwritable(Path path, Set<PosixFilePermission> tightened, String setting)
      throws IOException {
    UserPrincipal owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS);
    UserPrincipal me = CurrentUser.principal();
    if (!owner.equals(me)) {
      throw unsafe(path, "belongs to " + owner.getName() + ", not to " + me.getName(), setting);
    }
    if (posix(path)) {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
      if (mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
        throw unsafe(path, "can be written by other users (mode " + PosixFilePermissions.toString(mode) + ")",
            setting);
      }
      if (!mode.equals(tightened)) {
        Files.setPosixFilePermissions(path, tightened);
      }
    }
  }

  private static UnsafeDirectoryException unsafe(Path path, String what, String setting) {
    return new UnsafeDirectoryException(path + " " + what + ": another user could read it or plant members in it."
        + " Remove it (or fix its owner and mode) if you did not make it, or choose another folder with "
        + setting + " (or declare a deliberately shared one, see docs/configuration.md)");
  }

  private static void restrict(Path path, Set<PosixFilePermission> mode) throws IOException {
    if (posix(path) && !Files.getPosixFilePermissions(path).equals(mode)) {
      Files.setPosixFilePermissions(path, mode);
    }
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<?>[] attributes(Path dir, Set<PosixFilePermission> mode) {
    if (dir == null || !posix(dir)) {
      return new FileAttribute<?>[0];
    }
    return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)};
  }

  /** The user this process runs as, as the file system names owners. */
  private static final class CurrentUser {
    private static volatile UserPrincipal principal;

    static UserPrincipal principal() throws IOException {
      UserPrincipal known = principal;
      if (known != null) {
        return known;
      }
      // The owner of a file this process has just made is the process's user: no name lookup
      // (user.name can be overridden, and some containers have no passwd entry).
      Path probe = Files.createTempFile("partynet-owner", ".probe");
      try {
        known = Files.getOwner(probe);
      } finally {
        Files.deleteIfExists(probe);
      }
      principal = known;
      return known;
    }
  }
}
