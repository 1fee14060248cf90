package io.partynet.testing.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** CPU time of a Linux process from {@code /proc/PID/stat}. Stateless and thread-safe. */
public final class ProcCpu {
  private static volatile long ticksPerSecond;

  private ProcCpu() {}

  public static Duration of(long pid) {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the CPU time of pid " + pid + " (has it ended?)", e);
    }
    long ticks = ticksOf(stat);
    return Duration.ofNanos(ticks * 1_000_000_000L / ticksPerSecond());
  }

  /**
   * utime + stime of a {@code /proc/PID/stat} line. The command name (field 2) is in parentheses
   * and may hold spaces or parentheses itself, so fields are counted after its last ')'.
   */
  static long ticksOf(String stat) {
    String[] after = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    // after[0] is field 3 (state): utime (field 14) is after[11], stime (field 15) after[12].
    return Long.parseLong(after[11]) + Long.parseLong(after[12]);
  }

  private static long ticksPerSecond() {
    long known = ticksPerSecond;
    if (known > 0) {
      return known;
    }
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
      if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("getconf CLK_TCK did not answer");
      }
      known = Long.parseLong(out);
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("cannot read CLK_TCK with getconf", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading CLK_TCK", e);
    }
    ticksPerSecond = known;
    return known;
  }
}
