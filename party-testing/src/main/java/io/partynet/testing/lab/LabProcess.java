package io.partynet.testing.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process the lab started (inside a namespace), tracked by its pid. Its output (stdout and stderr
 * merged) is collected line by line so a test can wait for a line with a deadline. Thread-safe.
 */
public final class LabProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final Writer stdin;
  private boolean ended;

  LabProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::pump, "lab-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  private void pump() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      // the process ended; what was read stays available
    } finally {
      synchronized (lines) {
        ended = true;
        lines.notifyAll();
      }
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * The CPU time this process has used so far, user plus system, from {@code /proc/PID/stat}
   * (fields 14 and 15, in clock ticks of {@code getconf CLK_TCK}). The lab starts programs with
   * {@code ip netns exec}, which executes the program in place, so this is the program's own time.
   *
   * @throws IllegalStateException when the process has ended or /proc cannot be read
   */
  public Duration cpuTime() {
    return ProcCpu.of(pid());
  }

  /** Everything the process printed so far. */
  public String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  /** Waits for the first line matching {@code match}; throws with the output so far on timeout or exit. */
  public String awaitLine(Predicate<String> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    synchronized (lines) {
      while (true) {
        for (; seen < lines.size(); seen++) {
          if (match.test(lines.get(seen))) {
            return lines.get(seen);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || (ended && seen == lines.size())) {
          throw new LabException(name + ": no expected line within " + timeout.toMillis() + " ms"
              + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")") + "; output:\n" + output());
        }
        try {
          lines.wait(Math.min(100, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new LabException(name + ": interrupted while waiting for output");
        }
      }
    }
  }

  /** Waits for a line starting with {@code prefix} and returns the rest of it. */
  public String awaitValue(String prefix, Duration timeout) {
    return awaitLine(l -> l.startsWith(prefix), timeout).substring(prefix.length());
  }

  /** Writes one line to the process's stdin. */
  public void send(String line) {
    try {
      stdin.write(line + "\n");
      stdin.flush();
    } catch (IOException e) {
      throw new LabException(name + ": cannot write to stdin: " + e.getMessage(), e);
    }
  }

  /** Waits for the process to exit by itself; returns its exit code. */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new LabException(name + " still running after " + timeout.toMillis() + " ms; output:\n" + output());
      }
      synchronized (lines) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!ended && System.nanoTime() < deadline) {
          lines.wait(50);
        }
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabException(name + ": interrupted");
    }
  }

  /** SIGTERM, then SIGKILL after two seconds; only this process (by pid). */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(2, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** SIGKILL at once, as a crash would. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name + "(pid " + pid() + ")";
  }
}
