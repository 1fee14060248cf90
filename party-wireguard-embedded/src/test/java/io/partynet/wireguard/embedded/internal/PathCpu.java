package io.partynet.wireguard.embedded.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Where the CPU of one benchmark phase went: nanoseconds of CPU each party of the path used
 * (this JVM, each wireguard-go) per MiB carried, and how many of the machine's cores were busy
 * meanwhile (from {@code /proc/stat}). A phase that leaves cores idle is bound by latency (hand-offs,
 * windows), not by CPU; the per-MiB figures say which party a CPU-bound phase waits for.
 */
final class PathCpu {
  /** {@code /proc/stat} counts in USER_HZ, 100 on Linux everywhere. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private final Map<String, LongSupplier> parties;
  private final Map<String, Long> before = new LinkedHashMap<>();
  private final long busyBefore;
  private final long startNanos;

  private PathCpu(Map<String, LongSupplier> parties) {
    this.parties = parties;
    parties.forEach((name, cpu) -> before.put(name, cpu.getAsLong()));
    this.busyBefore = machineBusyNanos();
    this.startNanos = System.nanoTime();
  }

  /** Starts a phase; {@code parties} name each party's cumulative CPU time in nanoseconds. */
  static PathCpu start(Map<String, LongSupplier> parties) {
    return new PathCpu(parties);
  }

  /** The phase ended after carrying {@code mib} MiB: one line of CPU per MiB and busy cores. */
  String end(double mib) {
    double wall = System.nanoTime() - startNanos;
    StringBuilder line = new StringBuilder("    CPU per MiB:");
    parties.forEach((name, cpu) -> line.append(String.format(" %s %.1f ms,", name,
        (cpu.getAsLong() - before.get(name)) / 1e6 / mib)));
    long busy = machineBusyNanos() - busyBefore;
    line.append(String.format(" machine busy %.2f of %d cores", busy / wall,
        Runtime.getRuntime().availableProcessors()));
    return line.toString();
  }

  /** Busy time of all cores (everything but idle and I/O wait), or 0 where {@code /proc/stat} is missing. */
  private static long machineBusyNanos() {
    try {
      String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < Math.min(fields.length, 9); i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(fields[i]);
        }
      }
      return busy * NANOS_PER_TICK;
    } catch (IOException | RuntimeException notLinux) {
      return 0;
    }
  }
}
