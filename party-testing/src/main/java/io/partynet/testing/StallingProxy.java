package io.partynet.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on loopback in front of a real server, to make the server misbehave the way a
 * stalled or slow one does without changing it:
 * <ul>
 *   <li>{@link #forward()} (the start): bytes pass both ways;</li>
 *   <li>{@link #stall()}: connections are still accepted, but no byte passes either way on new or
 *       open connections (a hung server, or a network that drops everything after the handshake);</li>
 *   <li>{@link #delayRequests(Duration)}: every byte a client sends reaches the server only
 *       {@code delay} later, even if the client gave up meanwhile (a server that answers too late).</li>
 * </ul>
 * Thread-safe; close it to drop every connection.
 */
public final class StallingProxy implements AutoCloseable {
  private final InetSocketAddress target;
  private final ServerSocket listener;
  private final List<Socket> sockets = new ArrayList<>();
  private final Object modeLock = new Object();
  private boolean stalled;
  private Duration requestDelay = Duration.ZERO;
  private volatile boolean closed;
  /** Request chunks read from clients and not passed on because the proxy stalls. */
  private int held;

  private StallingProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "stalling-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A proxy to {@code server} ({@code http://host:port}), forwarding. */
  public static StallingProxy to(URI server) {
    try {
      return new StallingProxy(new InetSocketAddress(server.getHost(), server.getPort()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:PORT} of the proxy. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  public void forward() {
    synchronized (modeLock) {
      stalled = false;
      requestDelay = Duration.ZERO;
      modeLock.notifyAll();
    }
  }

  public void stall() {
    synchronized (modeLock) {
      stalled = true;
    }
  }

  public void delayRequests(Duration delay) {
    synchronized (modeLock) {
      stalled = false;
      requestDelay = delay;
      modeLock.notifyAll();
    }
  }

  /** How many chunks of requests wait in the stalled proxy now. */
  public int heldRequests() {
    synchronized (modeLock) {
      return held;
    }
  }

  @Override
  public void close() {
    closed = true;
    forward();
    closeQuietly(listener);
    synchronized (sockets) {
      sockets.forEach(StallingProxy::closeQuietly);
      sockets.clear();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        track(client);
        Thread connector = new Thread(() -> connect(client), "stalling-proxy-connect");
        connector.setDaemon(true);
        connector.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void connect(Socket client) {
    Socket server = new Socket();
    try {
      track(server);
      server.connect(target, 5_000);
    } catch (IOException e) {
      closeQuietly(client);
      closeQuietly(server);
      return;
    }
    pump(client, server, true);
    pump(server, client, false);
  }

  private void pump(Socket from, Socket to, boolean request) {
    Thread pump = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        int n;
        while ((n = in.read(buffer)) >= 0) {
          long readAt = System.nanoTime();
          awaitPassage(request, readAt);
          out.write(buffer, 0, n);
          out.flush();
        }
        awaitPassage(request, System.nanoTime());
        to.shutdownOutput();
      } catch (IOException e) {
        // One side went away: the other side sees the connection end.
        closeQuietly(to);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, request ? "stalling-proxy-request" : "stalling-proxy-answer");
    pump.setDaemon(true);
    pump.start();
  }

  /** Blocks while stalled, and a request chunk until its delay has passed since it was read. */
  private void awaitPassage(boolean request, long readAtNanos) throws InterruptedException {
    synchronized (modeLock) {
      while (!closed) {
        long remaining = request
            ? readAtNanos + requestDelay.toNanos() - System.nanoTime() : 0;
        if (stalled) {
          held += request ? 1 : 0;
          try {
            modeLock.wait(1_000);
          } finally {
            held -= request ? 1 : 0;
          }
        } else if (remaining > 0) {
          TimeUnit.NANOSECONDS.timedWait(modeLock, remaining);
        } else {
          return;
        }
      }
    }
  }

  private void track(Socket socket) {
    synchronized (sockets) {
      sockets.add(socket);
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // Closing during teardown: nothing to do.
    }
  }
}
