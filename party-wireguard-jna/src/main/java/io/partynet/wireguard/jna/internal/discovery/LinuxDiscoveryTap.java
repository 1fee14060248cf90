package io.partynet.wireguard.jna.internal.discovery;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import io.partynet.core.internal.discovery.DiscoveryScope;
import io.partynet.core.internal.discovery.DiscoveryTap;
import io.partynet.core.internal.discovery.Ipv4;
import io.partynet.core.internal.discovery.LanDatagram;
import io.partynet.wireguard.jna.internal.device.ErrnoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovery capture and delivery on Linux for kernel and TUN WireGuard interfaces (needs
 * {@code CAP_NET_RAW}, which the netlink and uapi backends' {@code CAP_NET_ADMIN} processes have as
 * root).
 *
 * <p><b>Capture</b>: an {@code AF_PACKET}/{@code SOCK_DGRAM} socket for all protocols on every interface,
 * with {@link DiscoveryFilter} attached before it is bound (so nothing unfiltered is ever queued).
 * Only packets the host sends ({@code PACKET_OUTGOING}) on interfaces other than loopback and the
 * tunnel are taken: what local programs broadcast or multicast on the LAN. The relay's own
 * deliveries are never among them: on loopback they are ignored, and on other interfaces they exist
 * only as looped-back copies ({@code PACKET_LOOPBACK}, which packet sockets are never handed).
 *
 * <p><b>Delivery</b>: {@link LinuxDelivery} writes the IPv4 header itself (source = the sending
 * member's virtual IP and its program's port, TTL 0): broadcasts on the loopback device, multicasts
 * on each interface where a local program joined the group. Replies go to the sender's virtual IP,
 * which the kernel routes through the tunnel.
 *
 * <p>Thread-safe: one capture thread; {@link #deliver} is synchronized.
 */
final class LinuxDiscoveryTap implements DiscoveryTap {
  private static final Logger LOG = LoggerFactory.getLogger(LinuxDiscoveryTap.class);
  private static final SocketLibC C = SocketLibC.INSTANCE;
  private static final int POLL_MILLIS = 250;
  private static final int SOCKADDR_LL = 20;
  private static final int CAPTURE_BUFFER_BYTES = 4 << 20;

  private final int loopbackIndex;
  private final int tunnelIndex;
  private final LocalBroadcasts broadcasts = new LocalBroadcasts();
  private int captureFd = -1;
  private LinuxDelivery delivery;
  private volatile boolean closed;
  /** Drops read from the kernel so far: reading PACKET_STATISTICS resets its counters. */
  private long overflows;
  private Thread captureThread;
  private Memory filterMemory;

  LinuxDiscoveryTap(String tunnelInterface) {
    this.loopbackIndex = C.if_nametoindex("lo");
    this.tunnelIndex = C.if_nametoindex(tunnelInterface);
  }

  @Override
  public String mode() {
    return "linux-raw";
  }

  @Override
  public synchronized void start(DiscoveryScope scope, Consumer<LanDatagram> sink) throws IOException {
    try {
      delivery = LinuxDelivery.open(loopbackIndex, tunnelIndex);
      captureFd = openCaptureSocket(scope);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
    int fd = captureFd;
    captureThread = new Thread(() -> captureLoop(fd, scope, sink), "partynet-discovery-capture");
    captureThread.setDaemon(true);
    captureThread.start();
  }

  @Override
  public synchronized void deliver(LanDatagram datagram) throws IOException {
    if (delivery == null) {
      throw new IOException("the discovery tap is closed");
    }
    delivery.deliver(new UdpPacket(Ipv4.parse(datagram.sourceIp()), Ipv4.parse(datagram.destinationIp()),
        datagram.sourcePort(), datagram.destinationPort(), datagram.payload()));
  }

  /**
   * The capture socket's {@code tp_drops} summed over every read: packets that passed the filter
   * but found the receive buffer full.
   */
  @Override
  public synchronized long captureOverflows() {
    if (captureFd >= 0) {
      byte[] stats = new byte[CaptureStatistics.BYTES];
      int[] length = {stats.length};
      if (C.getsockopt(captureFd, SocketLibC.SOL_PACKET, SocketLibC.PACKET_STATISTICS, stats, length) == 0) {
        overflows += CaptureStatistics.drops(stats, length[0]);
      } else {
        LOG.debug("discovery capture: PACKET_STATISTICS failed: {}", C.strerror(Native.getLastError()));
      }
    }
    return overflows;
  }

  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      t = captureThread;
      captureThread = null;
    }
    if (t != null) {
      try {
        t.join(POLL_MILLIS * 4L);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      if (captureFd >= 0) {
        long lost = captureOverflows();
        if (lost > 0) {
          LOG.info("discovery capture: {} local datagrams were lost to a full capture buffer", lost);
        }
        C.close(captureFd);
        captureFd = -1;
      }
      if (delivery != null) {
        delivery.close();
        delivery = null;
      }
    }
  }

  private int openCaptureSocket(DiscoveryScope scope) throws IOException {
    // Protocol 0: the socket receives nothing until bind() names ETH_P_ALL, after the filter is attached. Only
    // ETH_P_ALL sockets see outgoing packets (the kernel's dev_queue_xmit_nit taps ptype_all alone).
    int fd = C.socket(SocketLibC.AF_PACKET, SocketLibC.SOCK_DGRAM | SocketLibC.SOCK_CLOEXEC, 0);
    if (fd < 0) {
      throw new ErrnoException("socket(AF_PACKET, SOCK_DGRAM)", Native.getLastError());
    }
    try {
      List<DiscoveryFilter.Instruction> program = DiscoveryFilter.program(scope.allPorts());
      byte[] code = DiscoveryFilter.encode(program);
      filterMemory = new Memory(code.length);
      filterMemory.write(0, code, 0, code.length);
      Memory fprog = new Memory(2L * Native.POINTER_SIZE);
      fprog.clear();
      fprog.setShort(0, (short) program.size());
      fprog.setPointer(Native.POINTER_SIZE, filterMemory);
      SocketLibC.check(C.setsockopt(fd, SocketLibC.SOL_SOCKET, SocketLibC.SO_ATTACH_FILTER, fprog, (int) fprog.size()),
          "SO_ATTACH_FILTER");
      ByteBuffer ll = ByteBuffer.allocate(SOCKADDR_LL).order(ByteOrder.nativeOrder());
      ll.putShort((short) SocketLibC.AF_PACKET);
      ll.order(ByteOrder.BIG_ENDIAN).putShort((short) SocketLibC.ETH_P_ALL);
      ll.order(ByteOrder.nativeOrder()).putInt(0); // every interface
      SocketLibC.check(C.bind(fd, ll.array(), SOCKADDR_LL), "bind(AF_PACKET, ETH_P_ALL)");
      // A burst of broadcasts must not overflow the default buffer (~200 KiB, some hundred packets) before the
      // relay counts them; SO_RCVBUFFORCE passes net.core.rmem_max with CAP_NET_ADMIN.
      byte[] size = SocketLibC.nativeInt(CAPTURE_BUFFER_BYTES);
      if (C.setsockopt(fd, SocketLibC.SOL_SOCKET, SocketLibC.SO_RCVBUFFORCE, size, size.length) < 0) {
        C.setsockopt(fd, SocketLibC.SOL_SOCKET, SocketLibC.SO_RCVBUF, size, size.length);
      }
      return fd;
    } catch (IOException e) {
      C.close(fd);
      throw e;
    }
  }

  private void captureLoop(int fd, DiscoveryScope scope, Consumer<LanDatagram> sink) {
    byte[] pollfd = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(fd).putShort(SocketLibC.POLLIN)
        .putShort((short) 0).array();
    byte[] buffer = new byte[65536];
    byte[] from = new byte[SOCKADDR_LL];
    int[] fromLength = new int[1];
    while (!closed) {
      int ready = C.poll(pollfd, new NativeLong(1), POLL_MILLIS);
      if (ready <= 0) {
        continue;
      }
      while (!closed) {
        fromLength[0] = SOCKADDR_LL;
        int n = C.recvfrom(fd, buffer, new NativeLong(buffer.length), SocketLibC.MSG_DONTWAIT, from, fromLength)
            .intValue();
        if (n < 0) {
          int errno = Native.getLastError();
          if (errno != SocketLibC.EAGAIN && errno != SocketLibC.EINTR) {
            LOG.debug("discovery capture: recvfrom failed: {}", C.strerror(errno));
          }
          break;
        }
        captured(buffer, n, from, scope).ifPresent(d -> {
          try {
            sink.accept(d);
          } catch (RuntimeException e) {
            LOG.warn("discovery capture: the relay failed on {}: {}", d, e.toString());
          }
        });
      }
    }
  }

  private Optional<LanDatagram> captured(byte[] buffer, int length, byte[] from, DiscoveryScope scope) {
    ByteBuffer ll = ByteBuffer.wrap(from).order(ByteOrder.nativeOrder());
    int ifindex = ll.getInt(4);
    int packetType = from[10] & 0xFF;
    if (packetType != SocketLibC.PACKET_OUTGOING || ifindex == loopbackIndex || ifindex == tunnelIndex) {
      return Optional.empty();
    }
    Optional<UdpPacket> parsed = UdpPacket.parse(buffer, length);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    UdpPacket p = parsed.get();
    boolean broadcast = p.destinationIp() == Ipv4.LIMITED_BROADCAST || broadcasts.contains(p.destinationIp());
    if (!scope.carries(p.destinationIp(), p.destinationPort(), broadcast)) {
      return Optional.empty();
    }
    return Optional.of(new LanDatagram(Ipv4.format(p.sourceIp()), p.sourcePort(), Ipv4.format(p.destinationIp()),
        p.destinationPort(), p.payload()));
  }
}
