package io.partynet.wireguard.jna.internal.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Debian kernel and initramfs that src/test/qemu/prepare-kernel.sh leaves in its cache
 * directory; runs that script when the cache is missing or stale (it returns at once otherwise).
 * Thread-safe (immutable).
 */
record KernelImage(Path kernel, Path initramfs, String release) {

  /** prepare-kernel.sh's exit status for "no kernel package can be had here". */
  static final int PACKAGE_UNAVAILABLE = 3;

  /** Why the kernel could not be prepared, and whether the test should skip rather than fail. */
  static final class PreparationException extends IOException {
    private final boolean packageUnavailable;

    PreparationException(String message, boolean packageUnavailable) {
      super(message);
      this.packageUnavailable = packageUnavailable;
    }

    boolean packageUnavailable() {
      return packageUnavailable;
    }
  }

  /**
   * Runs {@code script CACHE_DIR} (bounded by {@code timeout}) and returns its result.
   *
   * @param log where the script's output goes
   */
  static KernelImage prepare(Path script, Path cacheDir, Path log, Duration timeout) throws IOException {
    Process process = new ProcessBuilder("bash", script.toString(), cacheDir.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new PreparationException(script + " did not finish within " + timeout + "; see " + log, false);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while preparing the kernel", e);
    }
    String output = Files.readString(log, StandardCharsets.UTF_8).strip();
    if (process.exitValue() != 0) {
      throw new PreparationException(script + " exited with " + process.exitValue() + ":\n" + output,
          process.exitValue() == PACKAGE_UNAVAILABLE);
    }
    Path current = cacheDir.resolve("current");
    return new KernelImage(current.resolve("vmlinuz"), current.resolve("initramfs.cpio.gz"),
        Files.readString(current.resolve("release"), StandardCharsets.UTF_8).strip());
  }
}
