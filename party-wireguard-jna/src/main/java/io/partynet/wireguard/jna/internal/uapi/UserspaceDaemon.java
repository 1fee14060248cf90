package io.partynet.wireguard.jna.internal.uapi;

import io.partynet.BackendUnavailableException;
import io.partynet.wireguard.jna.internal.netlink.NetworkNamespace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A userspace WireGuard daemon (wireguard-go by default) running in the foreground for one
 * interface ({@code BINARY -f IFNAME}): started, tracked by its process id, waited for until its
 * UAPI socket answers, and stopped on {@link #close()} (which also removes its interface). Its
 * output goes to the debug log; the last lines are quoted when it fails to start.
 *
 * <p>Thread-safe.
 */
public final class UserspaceDaemon implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UserspaceDaemon.class);
  private static final int KEPT_OUTPUT_LINES = 20;
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private static final Duration OUTPUT_GRACE = Duration.ofSeconds(1);

  private final Process process;
  private final Path socket;
  private final String interfaceName;
  private final Deque<String> recentOutput;
  private final Thread outputDrain;

  private UserspaceDaemon(Process process, Path socket, String interfaceName, Deque<String> recentOutput,
      Thread outputDrain) {
    this.process = process;
    this.socket = socket;
    this.interfaceName = interfaceName;
    this.recentOutput = recentOutput;
    this.outputDrain = outputDrain;
  }

  /**
   * Starts {@code binary -f interfaceName} (inside {@code namespace} when given) and waits until its
   * socket in {@code socketDirectory} accepts a UAPI request, at most {@code startTimeout}.
   */
  public static UserspaceDaemon start(String binary, String interfaceName, Path socketDirectory,
      Optional<NetworkNamespace> namespace, Duration startTimeout, LongSupplier nanoTime) throws IOException {
    Objects.requireNonNull(binary, "binary");
    Path socket = UapiClient.socketPath(socketDirectory, interfaceName);
    if (Files.exists(socket) && answers(socket)) {
      throw new IOException("a WireGuard daemon already serves " + socket + "; pick another interface name");
    }
    ProcessBuilder builder = new ProcessBuilder(List.of(binary, "-f", interfaceName)).redirectErrorStream(true);
    builder.environment().put("WG_PROCESS_FOREGROUND", "1");
    Process process;
    try {
      process = namespace.isPresent() ? namespace.get().call(builder::start, startTimeout) : builder.start();
    } catch (IOException e) {
      if (!Files.isExecutable(Path.of(binary)) && binary.indexOf('/') >= 0) {
        throw new BackendUnavailableException("userspace WireGuard binary " + binary + " is not executable", e);
      }
      throw new IOException("could not start " + binary + " (install wireguard-go or set uapi.binary): "
          + e.getMessage(), e);
    }
    Deque<String> recent = new ArrayDeque<>();
    Thread drain = new Thread(() -> drain(process, interfaceName, recent), "wg-daemon-" + interfaceName);
    drain.setDaemon(true);
    drain.start();
    UserspaceDaemon daemon = new UserspaceDaemon(process, socket, interfaceName, recent, drain);
    try {
      daemon.awaitSocket(startTimeout, nanoTime);
    } catch (IOException | RuntimeException e) {
      daemon.close();
      throw e;
    }
    LOG.debug("{} serves {} as pid {}", binary, interfaceName, process.pid());
    return daemon;
  }

  public long pid() {
    return process.pid();
  }

  public Path socket() {
    return socket;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  private void awaitSocket(Duration timeout, LongSupplier nanoTime) throws IOException {
    long deadline = nanoTime.getAsLong() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        awaitOutput();
        throw new IOException("the WireGuard daemon for " + interfaceName + " exited with " + process.exitValue()
            + " before its socket appeared: " + recentOutput());
      }
      if (Files.exists(socket) && answers(socket)) {
        return;
      }
      if (nanoTime.getAsLong() > deadline) {
        throw new IOException("the WireGuard daemon for " + interfaceName + " did not open " + socket + " within "
            + timeout + ": " + recentOutput());
      }
      try {
        process.waitFor(10, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + socket, e);
      }
    }
  }

  /** Whether a daemon accepts a UAPI {@code get} on {@code socket} (bounded by one second). */
  static boolean answers(Path socket) {
    try {
      new UapiClient(socket, Duration.ofSeconds(1)).get();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Once the process has exited, its last lines may still be in the pipe: let the drain finish (bounded). */
  private void awaitOutput() throws IOException {
    try {
      outputDrain.join(OUTPUT_GRACE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading the output of the daemon for " + interfaceName, e);
    }
  }

  private String recentOutput() {
    synchronized (recentOutput) {
      return recentOutput.isEmpty() ? "(no output)" : String.join(" | ", recentOutput);
    }
  }

  private static void drain(Process process, String interfaceName, Deque<String> recent) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        LOG.debug("[{}] {}", interfaceName, line);
        synchronized (recent) {
          recent.addLast(line);
          if (recent.size() > KEPT_OUTPUT_LINES) {
            recent.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      LOG.debug("output of the daemon for {} ended: {}", interfaceName, e.getMessage());
    }
  }

  /** Stops the daemon (SIGTERM, then SIGKILL after a grace period) and waits for it to exit. */
  @Override
  public void close() throws IOException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("WireGuard daemon pid {} ignored SIGTERM for {}; killing it", process.pid(), STOP_GRACE);
        process.destroyForcibly();
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IOException("WireGuard daemon pid " + process.pid() + " survived SIGKILL");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted while stopping WireGuard daemon pid " + process.pid(), e);
    }
  }
}
