package io.partynet.wireguard.jna.internal.netlink;

import com.sun.jna.Native;
import io.partynet.wireguard.jna.internal.device.ErrnoException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs code inside another network namespace without affecting the rest of the JVM. Linux keeps
 * the network namespace per thread, so the action runs on a fresh thread that first joins the
 * namespace ({@code setns(fd, CLONE_NEWNET)}) and then ends. Sockets keep the namespace they were
 * created in, and processes inherit the namespace of the thread that starts them, so a netlink
 * socket opened or a daemon started inside {@link #call} keeps working in that namespace afterwards.
 *
 * <p>Thread-safe: every call uses its own thread.
 */
public final class NetworkNamespace {
  /** Work that runs inside the namespace, on the namespace's own short-lived thread. */
  @FunctionalInterface
  public interface Action<T> {
    T run() throws IOException;
  }

  private final Path file;

  private NetworkNamespace(Path file) {
    this.file = file;
  }

  /** A namespace given by a file such as {@code /var/run/netns/NAME} or {@code /proc/PID/ns/net}. */
  public static NetworkNamespace of(Path file) {
    return new NetworkNamespace(file);
  }

  /** A namespace made with {@code ip netns add NAME}. */
  public static NetworkNamespace named(String name) {
    if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new IllegalArgumentException("not a network namespace name: " + name);
    }
    return new NetworkNamespace(Path.of("/var/run/netns", name));
  }

  public Path file() {
    return file;
  }

  /** Runs {@code action} inside this namespace, waiting at most {@code timeout}. */
  public <T> T call(Action<T> action, Duration timeout) throws IOException {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        enter();
        result.complete(action.run());
      } catch (IOException | RuntimeException e) {
        result.completeExceptionally(e);
      }
    }, "netns-" + file.getFileName());
    thread.setDaemon(true);
    thread.start();
    try {
      return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while working in network namespace " + file, e);
    } catch (TimeoutException e) {
      throw new IOException("work in network namespace " + file + " did not finish within " + timeout, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(e.getCause());
    }
  }

  private void enter() throws IOException {
    int fd = LibC.INSTANCE.open(file.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
    if (fd < 0) {
      throw new ErrnoException("open network namespace " + file, Native.getLastError());
    }
    try {
      if (LibC.INSTANCE.setns(fd, LibC.CLONE_NEWNET) != 0) {
        throw new ErrnoException("setns into " + file, Native.getLastError());
      }
    } finally {
      LibC.INSTANCE.close(fd);
    }
  }

  @Override
  public String toString() {
    return "NetworkNamespace[" + file + "]";
  }
}
