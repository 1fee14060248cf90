package io.partynet.wireguard.jna.internal.sockets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Joins two connected TCP sockets: a thread per direction copies bytes, an end of stream on one
 * side becomes a half-close ({@code shutdownOutput}) on the other, and a failure on either side
 * resets both (SO_LINGER 0). When both directions ended both sockets are closed and
 * {@code onClosed} runs once. Thread-safe.
 */
final class SocketPump {
  private static final int BUFFER = 64 * 1024;

  private final Socket a;
  private final Socket b;
  private volatile Runnable onClosed;
  private final AtomicInteger running = new AtomicInteger(2);
  private final AtomicBoolean reset = new AtomicBoolean();

  SocketPump(Socket a, Socket b) {
    this.a = a;
    this.b = b;
  }

  /** Starts copying; {@code onClosed} runs once both directions ended. */
  void start(String name, Runnable whenClosed) {
    this.onClosed = whenClosed;
    daemon(() -> copy(a, b), name + "-out");
    daemon(() -> copy(b, a), name + "-in");
  }

  static void daemon(Runnable task, String name) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    t.start();
  }

  /** Resets both connections (the expose or forward is closing). */
  void abort() {
    if (reset.compareAndSet(false, true)) {
      resetQuietly(a);
      resetQuietly(b);
    }
  }

  private void copy(Socket from, Socket to) {
    byte[] buffer = new byte[BUFFER];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
      }
      to.shutdownOutput();
    } catch (IOException resetOrClosed) {
      abort();
    } finally {
      if (running.decrementAndGet() == 0) {
        closeQuietly(a);
        closeQuietly(b);
        onClosed.run();
      }
    }
  }

  static void resetQuietly(Socket s) {
    try {
      s.setSoLinger(true, 0);
    } catch (IOException closedAlready) {
      // nothing to reset
    }
    closeQuietly(s);
  }

  static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing something both sides are done with
    }
  }
}
