package io.partynet.wireguard.embedded.internal.stack.tcp;

import java.net.SocketException;
import java.util.ArrayDeque;

/**
 * A TCP port in LISTEN (RFC 9293 section 3.10.7.2) with two bounded queues: half-open
 * connections (SYN_RECEIVED; a SYN beyond the limit is dropped and counted) and established
 * connections waiting for {@link #accept}. Thread-safe; lock order is connection, then listener.
 */
public final class TcpListener implements AutoCloseable {
  private final TcpStack stack;
  private final int port;
  private final int synBacklog;
  private final int acceptBacklog;
  private final ArrayDeque<TcpConnection> ready = new ArrayDeque<>();
  private int halfOpen;
  private boolean closed;

  TcpListener(TcpStack stack, int port, int synBacklog, int acceptBacklog) {
    this.stack = stack;
    this.port = port;
    this.synBacklog = synBacklog;
    this.acceptBacklog = acceptBacklog;
  }

  public int port() {
    return port;
  }

  synchronized boolean tryReserveHalfOpen() {
    if (closed || halfOpen >= synBacklog) {
      return false;
    }
    halfOpen++;
    return true;
  }

  synchronized void halfOpenGone() {
    halfOpen--;
  }

  synchronized boolean hasRoom() {
    return !closed && ready.size() < acceptBacklog;
  }

  synchronized void established(TcpConnection connection) {
    halfOpen--;
    ready.add(connection);
    notifyAll();
  }

  /**
   * Waits up to {@code timeoutNanos} for an established connection.
   *
   * @return the connection, or null on timeout
   * @throws SocketException when the listener is closed
   */
  public synchronized TcpConnection accept(long timeoutNanos) throws SocketException, InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    while (ready.isEmpty()) {
      if (closed) {
        throw new SocketException("party TCP listener on port " + port + " is closed");
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      wait(Math.max(1, left / 1_000_000L));
    }
    return ready.poll();
  }

  /** Stops listening; connections not accepted yet are reset. */
  @Override
  public void close() {
    TcpConnection[] pending;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      pending = ready.toArray(new TcpConnection[0]);
      ready.clear();
      notifyAll();
    }
    stack.unlisten(this);
    for (TcpConnection c : pending) {
      c.abort();
    }
  }
}
