package io.partynet.wireguard.jna.internal.sockets;

import io.partynet.PartyStreamSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * A TCP connection on the virtual IP as an operating-system socket: a non-blocking channel whose
 * reads and writes wait on their own selector, so both the read and the write timeout hold
 * (blocking {@link java.net.Socket}s have no write timeout). Thread-safe: one thread may read
 * while another writes.
 */
final class SystemStreamSocket implements PartyStreamSocket {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final SocketChannel channel;
  private final Selector readable;
  private final Selector writable;
  private final InetSocketAddress remote;
  private final int localPort;
  private volatile long readTimeoutNanos = DEFAULT_TIMEOUT.toNanos();
  private volatile long writeTimeoutNanos = DEFAULT_TIMEOUT.toNanos();
  private final InputStream in = new InputStream() {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int offset, int length) throws IOException {
      return SystemStreamSocket.this.read(ByteBuffer.wrap(b, offset, length));
    }
  };
  private final OutputStream out = new OutputStream() {
    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int offset, int length) throws IOException {
      SystemStreamSocket.this.write(ByteBuffer.wrap(b, offset, length));
    }

    @Override
    public void close() throws IOException {
      shutdownOutput();
    }
  };

  /** Takes over a connected channel. */
  SystemStreamSocket(SocketChannel channel) throws IOException {
    this.channel = channel;
    this.remote = (InetSocketAddress) channel.getRemoteAddress();
    this.localPort = ((InetSocketAddress) channel.getLocalAddress()).getPort();
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    channel.configureBlocking(false);
    this.readable = Selector.open();
    this.writable = Selector.open();
    channel.register(readable, SelectionKey.OP_READ);
    channel.register(writable, SelectionKey.OP_WRITE);
  }

  private int read(ByteBuffer into) throws IOException {
    if (!into.hasRemaining()) {
      return 0;
    }
    synchronized (readable) {
      long deadline = System.nanoTime() + readTimeoutNanos;
      while (true) {
        int n = channel.read(into);
        if (n != 0) {
          return n;
        }
        waitFor(readable, deadline, "no data from " + remote + " within the read timeout");
      }
    }
  }

  private void write(ByteBuffer from) throws IOException {
    synchronized (writable) {
      long deadline = System.nanoTime() + writeTimeoutNanos;
      while (from.hasRemaining()) {
        if (channel.write(from) == 0) {
          waitFor(writable, deadline, remote + " did not take the data within the write timeout");
        }
      }
    }
  }

  private static void waitFor(Selector selector, long deadline, String timeoutMessage) throws IOException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new SocketTimeoutException(timeoutMessage);
    }
    selector.select(Math.max(1, left / 1_000_000L));
    selector.selectedKeys().clear();
  }

  @Override
  public String remoteIp() {
    return remote.getAddress().getHostAddress();
  }

  @Override
  public int remotePort() {
    return remote.getPort();
  }

  @Override
  public int localPort() {
    return localPort;
  }

  @Override
  public void setReadTimeout(Duration timeout) {
    readTimeoutNanos = Math.max(1, timeout.toNanos());
  }

  @Override
  public void setWriteTimeout(Duration timeout) {
    writeTimeoutNanos = Math.max(1, timeout.toNanos());
  }

  @Override
  public InputStream inputStream() {
    return in;
  }

  @Override
  public OutputStream outputStream() {
    return out;
  }

  @Override
  public void shutdownOutput() throws IOException {
    channel.shutdownOutput();
  }

  @Override
  public void abort() {
    try {
      channel.setOption(StandardSocketOptions.SO_LINGER, 0);
    } catch (IOException closedAlready) {
      // nothing left to reset
    }
    close();
  }

  @Override
  public void close() {
    SocketPump.closeQuietly(channel);
    SocketPump.closeQuietly(readable);
    SocketPump.closeQuietly(writable);
  }

  @Override
  public String toString() {
    return "party TCP " + localPort + " <-> " + remote;
  }
}
