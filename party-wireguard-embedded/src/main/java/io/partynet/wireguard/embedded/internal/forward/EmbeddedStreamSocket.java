package io.partynet.wireguard.embedded.internal.forward;

import io.partynet.PartyStreamSocket;
import io.partynet.wireguard.embedded.internal.ip.Ipv4Udp;
import io.partynet.wireguard.embedded.internal.stack.tcp.BlockingTcp;
import io.partynet.wireguard.embedded.internal.stack.tcp.TcpConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;

/** A {@link PartyStreamSocket} on a userspace {@link TcpConnection}: blocking streams with timeouts. */
final class EmbeddedStreamSocket implements PartyStreamSocket {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final TcpConnection connection;
  private volatile long readTimeoutNanos = DEFAULT_TIMEOUT.toNanos();
  private volatile long writeTimeoutNanos = DEFAULT_TIMEOUT.toNanos();
  private final InputStream input = new Input();
  private final OutputStream output = new Output();

  EmbeddedStreamSocket(TcpConnection connection) {
    this.connection = connection;
  }

  TcpConnection connection() {
    return connection;
  }

  @Override
  public String remoteIp() {
    return Ipv4Udp.formatAddress(connection.remoteIp());
  }

  @Override
  public int remotePort() {
    return connection.remotePort();
  }

  @Override
  public int localPort() {
    return connection.localPort();
  }

  @Override
  public void setReadTimeout(Duration timeout) {
    readTimeoutNanos = positive(timeout).toNanos();
  }

  @Override
  public void setWriteTimeout(Duration timeout) {
    writeTimeoutNanos = positive(timeout).toNanos();
  }

  private static Duration positive(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    return timeout;
  }

  @Override
  public InputStream inputStream() {
    return input;
  }

  @Override
  public OutputStream outputStream() {
    return output;
  }

  @Override
  public void shutdownOutput() {
    connection.shutdownOutput();
  }

  @Override
  public void abort() {
    connection.abort();
  }

  @Override
  public void close() {
    connection.close();
  }

  @Override
  public String toString() {
    return "party TCP " + localPort() + " <-> " + remoteIp() + ":" + remotePort();
  }

  private static InterruptedIOException interrupted(InterruptedException e) {
    Thread.currentThread().interrupt();
    InterruptedIOException io = new InterruptedIOException("interrupted");
    io.initCause(e);
    return io;
  }

  private final class Input extends InputStream {
    private final byte[] single = new byte[1];

    @Override
    public int read() throws IOException {
      int n = read(single, 0, 1);
      return n < 0 ? -1 : single[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int offset, int length) throws IOException {
      Objects.checkFromIndexSize(offset, length, b.length);
      try {
        return BlockingTcp.read(connection, b, offset, length, readTimeoutNanos);
      } catch (InterruptedException e) {
        throw interrupted(e);
      }
    }

    @Override
    public int available() {
      return connection.available();
    }

    @Override
    public void close() {
      connection.close();
    }
  }

  private final class Output extends OutputStream {
    private final byte[] single = new byte[1];

    @Override
    public void write(int b) throws IOException {
      single[0] = (byte) b;
      write(single, 0, 1);
    }

    @Override
    public void write(byte[] b, int offset, int length) throws IOException {
      Objects.checkFromIndexSize(offset, length, b.length);
      try {
        BlockingTcp.write(connection, b, offset, length, writeTimeoutNanos);
      } catch (InterruptedException e) {
        throw interrupted(e);
      }
    }

    @Override
    public void close() {
      connection.shutdownOutput();
    }
  }
}
