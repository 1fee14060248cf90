package io.partynet.examples.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code party} run as a real process (a JVM on the test class path), with its output collected
 * line by line so a test can wait for a line instead of sleeping. Thread-safe.
 */
final class CliProcess implements AutoCloseable {
  private final Process process;
  private final List<String> out = new ArrayList<>();
  private final List<String> err = new ArrayList<>();
  private final Thread outReader;
  private final Thread errReader;

  private CliProcess(Process process) {
    this.process = process;
    outReader = collect(process.getInputStream(), out);
    errReader = collect(process.getErrorStream(), err);
  }

  static CliProcess start(String... args) throws IOException {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", classPath, PartyCli.class.getName()));
    command.addAll(List.of(args));
    return new CliProcess(new ProcessBuilder(command).start());
  }

  /** Runs {@code party args} to completion (at most {@code timeout}). */
  static CliProcess run(Duration timeout, String... args) throws IOException, InterruptedException {
    CliProcess p = start(args);
    p.awaitExit(timeout);
    return p;
  }

  private Thread collect(InputStream stream, List<String> lines) {
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (this) {
            lines.add(line);
            notifyAll();
          }
        }
      } catch (IOException ignored) {
        // the process ended; what was read is kept
      }
    }, "cli-output");
    reader.setDaemon(true);
    reader.start();
    return reader;
  }

  /** Waits for a stdout line matching {@code wanted}. */
  synchronized String awaitLine(Predicate<String> wanted, Duration timeout, String what) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<String> line = out.stream().filter(wanted).findFirst();
      if (line.isPresent()) {
        return line.get();
      }
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        throw new AssertionError("no line " + what + " within " + timeout + "; stdout " + out + " stderr " + err);
      }
      wait(Math.min(left, 100));
    }
  }

  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("party did not exit within " + timeout + "; stdout " + stdout() + " stderr " + stderr());
    }
    // The readers end at end of stream, right after the process; wait for its last lines.
    outReader.join(2000);
    errReader.join(2000);
    return process.exitValue();
  }

  /**
   * Sends SIGTERM, as a service manager or {@code kill} would. Through the process handle: unlike
   * {@link Process#destroy()} it leaves the output pipes open, so what the process prints while
   * shutting down is still read.
   */
  void terminate() {
    process.toHandle().destroy();
  }

  /** Sends SIGKILL: the process gets no chance to flush or clean up, as in a crash or power loss. */
  void kill() {
    process.toHandle().destroyForcibly();
  }

  synchronized List<String> stdout() {
    return List.copyOf(out);
  }

  synchronized List<String> stderr() {
    return List.copyOf(err);
  }

  int exitCode() {
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
