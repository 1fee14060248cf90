package io.partynet.releasecheck;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A Maven local repository of its own, in a temporary directory, for building a consumer project
 * against the artifacts this build just made — without touching the shared {@code ~/.m2} (other
 * builds read SNAPSHOTs from it) and without downloading anything: it starts as a copy of the
 * build's local repository minus PartyNet's own artifacts (jars and poms hard-linked), and then
 * the reactor's poms and jars are laid out in it the way {@code mvn install} would. Not thread-safe.
 */
final class ThrowawayRepository {
  private static final Path OWN_GROUP = Path.of("io", "partynet");

  private final Path dir;

  private ThrowawayRepository(Path dir) {
    this.dir = dir;
  }

  static ThrowawayRepository seededFrom(Path sharedRepository, Path dir) throws IOException {
    Files.walkFileTree(sharedRepository, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
        Path relative = sharedRepository.relativize(d);
        if (relative.equals(OWN_GROUP)) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        Files.createDirectories(dir.resolve(relative.toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Path copy = dir.resolve(sharedRepository.relativize(file).toString());
        String name = file.getFileName().toString();
        if (name.endsWith(".jar") || name.endsWith(".pom")) {
          linkOrCopy(file, copy);
        } else {
          Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return new ThrowawayRepository(dir);
  }

  /**
   * Jars and poms are hard-linked: Maven never writes them in place (it downloads to a temporary
   * file and renames it), so the shared files stay untouched, and linking saves copying half a
   * gigabyte. The small bookkeeping files beside them, which Maven does update in place, are copied.
   */
  private static void linkOrCopy(Path file, Path copy) throws IOException {
    try {
      Files.createLink(copy, file);
    } catch (IOException | UnsupportedOperationException e) {
      Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
    }
  }

  Path dir() {
    return dir;
  }

  /** Installs {@code pom} (and {@code jar}, when not null) as io.partynet:artifactId:version. */
  void install(String artifactId, String version, Path pom, Path jar) throws IOException {
    Path versionDir = dir.resolve(OWN_GROUP).resolve(artifactId).resolve(version);
    Files.createDirectories(versionDir);
    Files.copy(pom, versionDir.resolve(artifactId + "-" + version + ".pom"), StandardCopyOption.REPLACE_EXISTING);
    if (jar != null) {
      Files.copy(jar, versionDir.resolve(artifactId + "-" + version + ".jar"), StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
