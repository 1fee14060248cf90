package io.partynet.server.internal;

import io.partynet.testing.Eventually;
import io.partynet.testing.VisibleArguments;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real server, {@link ServerMain}, in a child JVM on loopback (the test's own class path),
 * for what an in-process server cannot show: SIGKILL, SIGTERM and exit codes; public so that
 * {@code ControlPlaneBenchmark} can load servers that run outside its JVM. Not thread-safe.
 */
public final class ServerProcess implements AutoCloseable {
  private static final Pattern PORT = Pattern.compile("port=(\\d+) .*control plane server started");
  private static final Duration START = Duration.ofSeconds(60);

  private final Path database;
  private final Path log;
  private final List<String> extraArgs;
  private List<String> jvmOptions = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");
  private Process process;
  int port;

  public ServerProcess(Path dir, String... extraArgs) {
    this.database = dir.resolve("party.db");
    this.log = dir.resolve("server.log");
    this.extraArgs = List.of(extraArgs);
  }

  /** Replaces the JVM options (default: a small heap and the quick-starting C1 compiler, as tests want). */
  public ServerProcess jvmOptions(String... options) {
    jvmOptions = List.of(options);
    return this;
  }

  /** Starts the server (on the port it had before, if it ran already) and waits until it listens. */
  public ServerProcess start() throws IOException {
    launch();
    return awaitListening(START);
  }

  /** Starts the server process without waiting (a standby waits for its lease before it listens). */
  ServerProcess launch() throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        ServerMain.class.getName(),
        "--host", "127.0.0.1", "--port", String.valueOf(port), "--db", database.toString()));
    command.addAll(extraArgs);
    Files.deleteIfExists(log);
    process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    VisibleArguments.assertNoSecret(process.pid(), ServerMain.class.getName());
    return this;
  }

  /** Waits until the launched server listens; fails when it exits first. */
  ServerProcess awaitListening(Duration timeout) {
    Eventually.until(timeout, () -> findPort() > 0 || !process.isAlive(), () -> "server start; log:\n" + logText());
    if (!process.isAlive()) {
      throw new AssertionError("the server exited with " + process.exitValue() + "; log:\n" + logText());
    }
    port = findPort();
    return this;
  }

  /** Waits for the process to exit; answers its exit code. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the server did not exit within " + timeout + "; log:\n" + logText());
    }
    return process.exitValue();
  }

  /** SIGKILL: no shutdown hook, no last write. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM, then the exit code. */
  public int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the server did not stop within 30 s of SIGTERM; log:\n" + logText());
    }
    return process.exitValue();
  }

  /** The port the server listens on (known once it started). */
  public int port() {
    return port;
  }

  /** The server JVM's process id (for jcmd and /proc). */
  public long pid() {
    return process.pid();
  }

  public String logText() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  private int findPort() {
    Matcher m = PORT.matcher(logText());
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      kill();
    }
  }
}
