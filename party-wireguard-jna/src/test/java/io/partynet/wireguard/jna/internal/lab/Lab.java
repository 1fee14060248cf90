package io.partynet.wireguard.jna.internal.lab;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Lab helpers for integration tests: capability checks that skip a test only when the capability
 * is really absent, bounded command execution, unique names with the {@code pnw} prefix, and
 * condition waits with a deadline. Thread-safe (stateless).
 */
public final class Lab {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Lab() {}

  /** A short random suffix for namespace and interface names. */
  public static String suffix() {
    byte[] b = new byte[3];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  public static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  public static boolean hasCommand(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return Files.isExecutable(Path.of("/usr/sbin", name)) || Files.isExecutable(Path.of("/sbin", name));
  }

  /** Skips the test unless we run as root on Linux with every named command. */
  public static void assumeLab(String... commands) {
    assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "needs Linux");
    assumeTrue(isRoot(), "needs root (network namespaces); CI runs these as root");
    for (String command : commands) {
      assumeTrue(hasCommand(command), "needs `" + command + "` on PATH");
    }
  }

  /** Runs a command, waits at most {@code timeout}, returns stdout; fails with stderr on a non-zero exit. */
  public static String run(Duration timeout, String... command) throws IOException {
    Result r = runAllowingFailure(timeout, command);
    if (r.exitCode() != 0) {
      throw new IOException(String.join(" ", command) + " exited with " + r.exitCode() + ": " + r.stderr());
    }
    return r.stdout();
  }

  public static String run(String... command) throws IOException {
    return run(Duration.ofSeconds(20), command);
  }

  /** Exit code and output of a finished command. Immutable and thread-safe. */
  public record Result(int exitCode, String stdout, String stderr) {}

  public static Result runAllowingFailure(Duration timeout, String... command) throws IOException {
    Process p = new ProcessBuilder(List.of(command)).start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p, false));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p, true));
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish within " + timeout);
      }
      return new Result(p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IOException("reading output of " + String.join(" ", command), e);
    }
  }

  private static String drain(Process p, boolean stderr) {
    try {
      return new String((stderr ? p.getErrorStream() : p.getInputStream()).readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Polls {@code condition} until it holds or fails the test with {@code what} after {@code timeout}. */
  public static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }

  /** A network namespace made with {@code ip netns add}, deleted on close. Thread-safe (immutable handle). */
  public static final class Namespace implements AutoCloseable {
    private final String name;

    private Namespace(String name) {
      this.name = name;
    }

    public static Namespace create(String prefix) throws IOException {
      String name = prefix + suffix();
      run("ip", "netns", "add", name);
      return new Namespace(name);
    }

    public String name() {
      return name;
    }

    /** Runs a command inside the namespace. */
    public String exec(String... command) throws IOException {
      String[] full = new String[command.length + 4];
      full[0] = "ip";
      full[1] = "netns";
      full[2] = "exec";
      full[3] = name;
      System.arraycopy(command, 0, full, 4, command.length);
      return run(full);
    }

    @Override
    public void close() throws IOException {
      run("ip", "netns", "del", name);
    }
  }
}
