package io.partynet.wireguard.embedded.internal.stack.tcp;

import java.io.IOException;
import java.net.SocketTimeoutException;

/**
 * The blocking calls on a {@link TcpConnection}, each bounded by a timeout: they wait on the
 * connection's monitor, which arrivals and timers notify when data, buffer space or a state
 * change comes. The non-blocking calls they loop over are {@link TcpConnection#tryRead} and
 * {@link TcpConnection#tryWrite}.
 */
public final class BlockingTcp {
  private BlockingTcp() {}

  /** Waits until the handshake completes; throws why it did not (and resets it on timeout). */
  public static void awaitEstablished(TcpConnection c, long timeoutNanos) throws IOException, InterruptedException {
    synchronized (c) {
      long deadline = System.nanoTime() + timeoutNanos;
      while (c.state() == TcpConnection.State.SYN_SENT || c.state() == TcpConnection.State.SYN_RECEIVED) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          c.abandon();
          throw new SocketTimeoutException("connecting to " + peer(c) + " timed out");
        }
        c.wait(Math.max(1, left / 1_000_000L));
      }
      if (c.error() != null) {
        throw c.error();
      }
    }
  }

  /** Waits up to {@code timeoutNanos} for data; returns the count, -1 at the end of the stream. */
  public static int read(TcpConnection c, byte[] b, int offset, int length, long timeoutNanos)
      throws IOException, InterruptedException {
    if (length == 0) {
      return 0;
    }
    synchronized (c) {
      long deadline = System.nanoTime() + timeoutNanos;
      while (true) {
        int n = c.tryRead(b, offset, length);
        if (n != 0) {
          return n;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new SocketTimeoutException("no data from " + peer(c) + " within the read timeout");
        }
        c.wait(Math.max(1, left / 1_000_000L));
      }
    }
  }

  /** Queues all {@code length} bytes, waiting up to {@code timeoutNanos} for send-buffer space. */
  public static void write(TcpConnection c, byte[] b, int offset, int length, long timeoutNanos)
      throws IOException, InterruptedException {
    synchronized (c) {
      long deadline = System.nanoTime() + timeoutNanos;
      while (length > 0) {
        int n = c.tryWrite(b, offset, length);
        offset += n;
        length -= n;
        if (length == 0) {
          return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new SocketTimeoutException("the peer " + peer(c) + " did not take the data within the write timeout");
        }
        c.wait(Math.max(1, left / 1_000_000L));
      }
    }
  }

  private static String peer(TcpConnection c) {
    return TcpStack.format(c.remoteIp()) + ":" + c.remotePort();
  }
}
