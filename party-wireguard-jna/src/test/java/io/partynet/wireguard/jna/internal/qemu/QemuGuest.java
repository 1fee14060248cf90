package io.partynet.wireguard.jna.internal.qemu;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of the test guest: qemu boots {@link KernelImage} with the host's root shared
 * read-only (9p tag {@code hostroot}) and {@code exchangeDir} shared writable (tag
 * {@code partynet}); the guest's /init runs {@code exchangeDir/run.sh} and powers off. One vCPU:
 * with two, HotSpot crashed in JIT-compiled code under TCG in about a quarter of the runs.
 * The serial console goes to {@code consoleLog}. qemu is killed when {@link #awaitExit} times
 * out and in {@link #close()}.
 *
 * <p>Not thread-safe: one owner starts, awaits and closes it.
 */
final class QemuGuest implements AutoCloseable {
  static final String QEMU = "qemu-system-x86_64";
  private static final int MEMORY_MIB = 2048;

  private final Process process;

  private QemuGuest(Process process) {
    this.process = process;
  }

  static QemuGuest start(KernelImage image, Path exchangeDir, Path consoleLog) throws IOException {
    List<String> command = List.of(QEMU,
        "-nodefaults", "-display", "none", "-serial", "stdio", "-no-reboot",
        // Plain emulation: where a /dev/kvm exists inside a VM, the guest hung without a word.
        "-accel", "tcg",
        "-smp", "1", "-m", Integer.toString(MEMORY_MIB),
        "-kernel", image.kernel().toString(), "-initrd", image.initramfs().toString(),
        "-append", "console=ttyS0 panic=-1 quiet",
        "-virtfs", "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap",
        "-virtfs", "local,path=" + virtfsPath(exchangeDir) + ",mount_tag=partynet,security_model=none,multidevs=remap");
    Process process = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(consoleLog.toFile())
        .start();
    return new QemuGuest(process);
  }

  /**
   * Waits for the guest to power off.
   *
   * @return qemu's exit status
   * @throws IOException when it runs longer than {@code timeout} (qemu is then killed)
   */
  int awaitExit(Duration timeout) throws IOException {
    try {
      if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return process.exitValue();
      }
      close();
      throw new IOException("the qemu guest did not power off within " + timeout + "; it was killed");
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the qemu guest", e);
    }
  }

  /** Kills qemu (and with it the guest) if it still runs. Idempotent. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** qemu's option syntax gives ',' a meaning; a path with one would silently break the share. */
  private static String virtfsPath(Path dir) {
    String path = dir.toAbsolutePath().toString();
    if (path.contains(",")) {
      throw new IllegalArgumentException("qemu cannot share a folder whose path contains ',': " + path);
    }
    return path;
  }
}
