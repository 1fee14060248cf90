package io.partynet.core.internal.socks;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A socket's input with one deadline for all reads: a client that sends its handshake a byte at
 * a time cannot keep a connection slot longer than the handshake timeout. Reads pass straight to
 * the socket, never ahead of what is asked.
 */
final class DeadlineInput extends InputStream {
  private final Socket socket;
  private final InputStream in;
  private final long deadlineNanos;

  DeadlineInput(Socket socket, long timeoutNanos) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.deadlineNanos = System.nanoTime() + timeoutNanos;
  }

  @Override
  public int read() throws IOException {
    armTimeout();
    return in.read();
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    armTimeout();
    return in.read(buffer, offset, length);
  }

  private void armTimeout() throws IOException {
    long leftMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
    if (leftMillis <= 0) {
      throw new SocketTimeoutException("the SOCKS5 handshake did not complete in time");
    }
    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, leftMillis));
  }
}
