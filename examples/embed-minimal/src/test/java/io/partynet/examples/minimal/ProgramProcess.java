package io.partynet.examples.minimal;

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
 * A main class run as a real JVM on the test class path, its output read line by line so a test
 * waits for a line instead of sleeping. Thread-safe.
 */
final class ProgramProcess implements AutoCloseable {
  private final Process process;
  private final List<String> out = new ArrayList<>();
  private final List<String> err = new ArrayList<>();

  private ProgramProcess(Process process) {
    this.process = process;
    collect(process.getInputStream(), out);
    collect(process.getErrorStream(), err);
  }

  static ProgramProcess start(Class<?> main, String... args) throws IOException {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classPath, main.getName()));
    command.addAll(List.of(args));
    return new ProgramProcess(new ProcessBuilder(command).start());
  }

  private void collect(InputStream stream, List<String> lines) {
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          synchronized (this) {
            lines.add(line);
            notifyAll();
          }
        }
      } catch (IOException ended) {
        // the process is gone; what was read is kept
      }
    }, "program-output");
    reader.setDaemon(true);
    reader.start();
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

  /** SIGTERM through the process handle, which keeps the output pipes open for the last lines. */
  void terminate() {
    process.toHandle().destroy();
  }

  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the program did not exit within " + timeout + "; stdout " + stdout());
    }
    return process.exitValue();
  }

  synchronized List<String> stdout() {
    return List.copyOf(out);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
