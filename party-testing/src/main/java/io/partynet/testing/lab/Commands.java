package io.partynet.testing.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs commands with a deadline and answers what this machine can do (root, tools on the PATH).
 * The only command runner of the lab. Thread-safe (stateless).
 */
public final class Commands {
  /** How long {@link #run(String...)} waits for a command. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

  private Commands() {}

  /** Runs {@code command} in the root namespace and waits up to {@link #DEFAULT_TIMEOUT}. */
  public static CommandResult run(String... command) {
    return run(DEFAULT_TIMEOUT, List.of(command));
  }

  /** Runs {@code command}, waits up to {@code timeout}; the result holds stdout and stderr interleaved. */
  public static CommandResult run(Duration timeout, List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      // Read on another thread so a chatty command cannot block on a full pipe.
      StringBuilder out = new StringBuilder();
      Thread reader = new Thread(() -> {
        try {
          String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          synchronized (out) {
            out.append(text);
          }
        } catch (IOException ignored) {
          // the output is best effort
        }
      }, "lab-command-output");
      reader.setDaemon(true);
      reader.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new LabException("`" + String.join(" ", command) + "` did not finish in " + timeout.toMillis() + " ms");
      }
      reader.join(2000);
      synchronized (out) {
        return new CommandResult(command, p.exitValue(), out.toString());
      }
    } catch (IOException e) {
      throw new LabException("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabException("interrupted while running " + command);
    }
  }

  /** {@code command} run inside {@code namespace} (null: as it is, in the root namespace). */
  public static List<String> inNamespace(String namespace, List<String> command) {
    if (namespace == null) {
      return List.copyOf(command);
    }
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    full.addAll(command);
    return full;
  }

  public static boolean isLinux() {
    return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
  }

  /** True when this process runs with user id 0 (asked of {@code id -u}, not of the user name). */
  public static boolean isRoot() {
    try {
      Process p = new ProcessBuilder("id", "-u").start();
      String uid = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
      return p.waitFor(5, TimeUnit.SECONDS) && "0".equals(uid);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** True when {@code tool} is an executable on the PATH or in /usr/sbin or /sbin. */
  public static boolean onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";
    return Stream.of(path.split(":")).anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)));
  }
}
