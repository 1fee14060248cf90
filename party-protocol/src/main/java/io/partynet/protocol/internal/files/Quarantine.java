package io.partynet.protocol.internal.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Moves a file that does not parse out of the way, as {@code <name>.corrupt-<UTC timestamp>}
 * (with {@code -1}, {@code -2}, ... when that name is taken), so that it can be inspected and is
 * never read again, and never deleted. Stateless and thread-safe; safe when several processes
 * find the same file corrupt at once.
 */
public final class Quarantine {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Quarantine() {}

  /**
   * Moves {@code file} aside, stamped with {@code clock}'s time, and makes the move durable.
   *
   * @return where it went, or empty when it was gone already (another process moved it first)
   */
  public static Optional<Path> moveAside(Path file, Clock clock) throws IOException {
    String base = file.getFileName() + ".corrupt-" + STAMP.format(clock.instant());
    for (int n = 0; ; n++) {
      Path target = file.resolveSibling(n == 0 ? base : base + "-" + n);
      if (Files.exists(target)) {
        continue;
      }
      try {
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (NoSuchFileException gone) {
        return Optional.empty();
      } catch (FileAlreadyExistsException taken) {
        continue;
      }
      AtomicFiles.forceDirectory(file.toAbsolutePath().getParent());
      return Optional.of(target);
    }
  }
}
