package io.partynet.testing;

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
 * A main class run as a real JVM on the test class path (small heap, quick start), its output
 * collected line by line so that a test waits for a line instead of sleeping. Tests of command
 * line programs and embedding examples use it as it is or through a small subclass that names the
 * main class. Thread-safe.
 */
public class JvmProcess implements AutoCloseable {
  private final Process process;
  private final List<String> out = new ArrayList<>();
  private final List<String> err = new ArrayList<>();
  private final Thread outReader;
  private final Thread errReader;

  protected JvmProcess(Process process) {
    this.process = process;
    outReader = collect(process.getInputStream(), out);
    errReader = collect(process.getErrorStream(), err);
  }

  /** Starts {@code main} with {@code args} in a new JVM. */
  public static JvmProcess start(Class<?> main, String... args) throws IOException {
    return new JvmProcess(launch(main, args));
  }

  /** The process of {@code main} with {@code args}, for a subclass's constructor. */
  protected static Process launch(Class<?> main, String... args) throws IOException {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", classPath, main.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).start();
  }

  private Thread collect(InputStream stream, List<String> lines) {
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          synchronized (this) {
            lines.add(line);
            notifyAll();
          }
        }
      } catch (IOException ended) {
        // the process ended; what was read is kept
      }
    }, "jvm-process-output");
    reader.setDaemon(true);
    reader.start();
    return reader;
  }

  /** Waits for a stdout line matching {@code wanted}; fails naming {@code what} and all output so far. */
  public synchronized String awaitLine(Predicate<String> wanted, Duration timeout, String what)
      throws InterruptedException {
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

  /** Waits for the exit (killing the process after {@code timeout}) and for its last output lines. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the program did not exit within " + timeout + "; stdout " + stdout()
          + " stderr " + stderr());
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
  public void terminate() {
    process.toHandle().destroy();
  }

  /** Sends SIGKILL: the process gets no chance to flush or clean up, as in a crash or power loss. */
  public void kill() {
    process.toHandle().destroyForcibly();
  }

  public synchronized List<String> stdout() {
    return List.copyOf(out);
  }

  public synchronized List<String> stderr() {
    return List.copyOf(err);
  }

  /** The exit code; only after the process ended. */
  public int exitCode() {
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
