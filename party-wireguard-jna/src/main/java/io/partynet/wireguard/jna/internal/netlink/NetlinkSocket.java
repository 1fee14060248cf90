package io.partynet.wireguard.jna.internal.netlink;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import io.partynet.wireguard.jna.internal.device.ErrnoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A netlink socket (rtnetlink or generic netlink) that sends one request at a time and collects
 * its replies: an acknowledgement, one answer, or a multi-part dump up to NLMSG_DONE. Every wait is
 * bounded by the timeout; a negative NLMSG_ERROR becomes an {@link ErrnoException} carrying the
 * kernel's extended-ack text when it sent one.
 *
 * <p>Thread-safe: requests are serialised on the socket.
 */
final class NetlinkSocket implements AutoCloseable {
  private static final int RECEIVE_BUFFER = 64 * 1024;
  private static final int SOCKET_RECEIVE_BUFFER = 1024 * 1024;

  private final int fd;
  private final Duration timeout;
  private final LongSupplier nanoTime;
  private final byte[] receiveBuffer = new byte[RECEIVE_BUFFER];
  private int sequence = (int) (System.nanoTime() & 0x3fffffff);
  private boolean closed;

  private NetlinkSocket(int fd, Duration timeout, LongSupplier nanoTime) {
    this.fd = fd;
    this.timeout = timeout;
    this.nanoTime = nanoTime;
  }

  /** Opens and binds a netlink socket of {@code protocol} (NETLINK_ROUTE, NETLINK_GENERIC) in the calling thread's namespace. */
  static NetlinkSocket open(int protocol, Duration timeout) throws IOException {
    return open(protocol, timeout, System::nanoTime);
  }

  static NetlinkSocket open(int protocol, Duration timeout, LongSupplier nanoTime) throws IOException {
    LibC libc = LibC.INSTANCE;
    int fd = libc.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, protocol);
    if (fd < 0) {
      throw new ErrnoException("socket(AF_NETLINK, " + protocol + ")", Native.getLastError());
    }
    try {
      byte[] local = new SockaddrNl(0, 0).toBytes();
      if (libc.bind(fd, local, local.length) != 0) {
        throw new ErrnoException("bind netlink socket", Native.getLastError());
      }
      // Both are best effort: an older kernel without extended acks still answers with plain errnos.
      libc.setsockopt(fd, LibC.SOL_NETLINK, LibC.NETLINK_EXT_ACK, new int[] {1}, 4);
      libc.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, new int[] {SOCKET_RECEIVE_BUFFER}, 4);
      return new NetlinkSocket(fd, timeout, nanoTime);
    } catch (IOException | RuntimeException e) {
      libc.close(fd);
      throw e;
    }
  }

  /** Sends a request that asks for an ack (NLM_F_ACK) and waits for it. */
  synchronized void acknowledged(byte[] request, String operation) throws IOException {
    exchange(request, operation, false);
  }

  /** Sends a request and returns its answers (one message, or every part of a dump). */
  synchronized List<NetlinkMessage> query(byte[] request, String operation) throws IOException {
    return exchange(request, operation, true);
  }

  private List<NetlinkMessage> exchange(byte[] request, String operation, boolean collect) throws IOException {
    ensureOpen();
    int seq = ++sequence;
    ByteBuffer header = Structs.wrap(request);
    header.putInt(8, seq);
    ReplyCollector replies = new ReplyCollector(seq, Short.toUnsignedInt(header.getShort(6)), collect, operation);
    send(request, operation);
    long deadline = nanoTime.getAsLong() + timeout.toNanos();
    while (true) {
      for (NetlinkMessage message : receive(deadline, operation)) {
        if (replies.accept(message)) {
          return replies.answers();
        }
      }
    }
  }

  private void send(byte[] request, String operation) throws IOException {
    byte[] kernel = new SockaddrNl(0, 0).toBytes();
    NativeLong sent = LibC.INSTANCE.sendto(fd, request, new NativeLong(request.length), 0, kernel, kernel.length);
    if (sent.longValue() < 0) {
      throw new ErrnoException(operation + " (sendto)", Native.getLastError());
    }
    if (sent.longValue() != request.length) {
      throw new IOException(operation + ": netlink accepted " + sent + " of " + request.length + " bytes");
    }
  }

  private List<NetlinkMessage> receive(long deadline, String operation) throws IOException {
    long remaining = deadline - nanoTime.getAsLong();
    if (remaining <= 0) {
      throw new IOException(operation + ": no netlink reply within " + timeout);
    }
    ByteBuffer pollfd = Structs.allocate(8).putInt(fd).putShort(LibC.POLLIN).putShort((short) 0);
    int ready = LibC.INSTANCE.poll(pollfd.array(), new NativeLong(1),
        (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
    if (ready < 0) {
      int errno = Native.getLastError();
      if (errno == 4) {
        return List.of();
      }
      throw new ErrnoException(operation + " (poll)", errno);
    }
    if (ready == 0) {
      return List.of();
    }
    NativeLong got = LibC.INSTANCE.recvfrom(fd, receiveBuffer, new NativeLong(receiveBuffer.length),
        LibC.MSG_TRUNC | LibC.MSG_DONTWAIT, null, null);
    long length = got.longValue();
    if (length < 0) {
      int errno = Native.getLastError();
      if (errno == 11 || errno == 4) {
        return List.of();
      }
      throw new ErrnoException(operation + " (recvfrom)", errno);
    }
    if (length > receiveBuffer.length) {
      throw new IOException(operation + ": a netlink reply of " + length + " bytes exceeds the " + receiveBuffer.length
          + "-byte receive buffer");
    }
    return NetlinkMessage.parseAll(Structs.wrap(receiveBuffer).limit((int) length));
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("netlink socket is closed");
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      LibC.INSTANCE.close(fd);
    }
  }
}
