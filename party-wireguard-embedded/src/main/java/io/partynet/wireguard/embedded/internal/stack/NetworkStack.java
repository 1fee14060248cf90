package io.partynet.wireguard.embedded.internal.stack;

import io.partynet.wireguard.embedded.internal.device.PacketSink;
import io.partynet.wireguard.embedded.internal.stack.icmp.Icmp;
import io.partynet.wireguard.embedded.internal.stack.ipv4.FragmentReassembler;
import io.partynet.wireguard.embedded.internal.stack.ipv4.Ipv4;
import io.partynet.wireguard.embedded.internal.stack.tcp.IpOutput;
import io.partynet.wireguard.embedded.internal.stack.tcp.TcpConfig;
import io.partynet.wireguard.embedded.internal.stack.tcp.TcpStack;
import java.security.SecureRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The IPv4 host behind the WireGuard device: validates every packet that leaves the tunnel,
 * reassembles fragments, answers pings, sends and takes ICMP destination-unreachable messages,
 * and hands UDP to the datagram layer and TCP to the {@link TcpStack}. Packets to the own
 * virtual IP loop back through a bounded queue. One timer thread drives TCP's timers and the
 * loopback queue.
 *
 * <p>Thread-safe. {@link #deliver} runs on the device's delivery thread (and the timer thread for
 * loopback); arriving packets are processed one at a time.
 */
public final class NetworkStack implements PacketSink, AutoCloseable {
  /** How often the timer thread runs TCP's timers; the RTO and delayed-ACK granularity. */
  static final long TIMER_PERIOD_NANOS = 5_000_000L;
  private static final int LOOPBACK_QUEUE = 256;
  private static final int MAX_REASSEMBLIES = 16;
  private static final long REASSEMBLY_TIMEOUT_NANOS = 30_000_000_000L;
  private static final int ICMP_ERRORS_PER_SECOND = 100;

  /** The datagram layer: returns false when no socket took the packet (the port is closed). */
  @FunctionalInterface
  public interface UdpLayer {
    boolean deliverUdp(byte[] packet, int offset, int length);
  }

  private final int localIp;
  private final IpOutput tunnel;
  private final UdpLayer udp;
  private final LongSupplier clock;
  private final StackCounters counters = new StackCounters();
  private final TcpStack tcp;
  private final Ipv4.Header header = new Ipv4.Header();
  private final FragmentReassembler reassembler = new FragmentReassembler(MAX_REASSEMBLIES, REASSEMBLY_TIMEOUT_NANOS);
  private final FragmentReassembler.Output reassembled = this::dispatchWhole;
  private final IcmpRateLimit icmpLimit;
  private final byte[] icmpPacket;
  private final ArrayBlockingQueue<byte[]> loopback = new ArrayBlockingQueue<>(LOOPBACK_QUEUE);
  private final Thread timer;
  private final java.util.concurrent.ConcurrentHashMap<Integer, java.util.concurrent.CountDownLatch> pings =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger pingSequence = new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean closed;

  /**
   * @param tunnel sends packets into the tunnel (the device routes them by destination)
   * @param clock nanosecond clock for every timer (tests pass a manual one and call {@link #tick})
   * @param startTimer false in tests that drive {@link #tick} themselves
   */
  public NetworkStack(int localIp, int mtu, TcpConfig tcpConfig, IpOutput tunnel, UdpLayer udp, LongSupplier clock,
      SecureRandom random, boolean startTimer) {
    this.localIp = localIp;
    this.tunnel = tunnel;
    this.udp = udp;
    this.clock = clock;
    this.icmpPacket = new byte[Math.max(mtu, 576)];
    this.icmpLimit = new IcmpRateLimit(ICMP_ERRORS_PER_SECOND, clock.getAsLong());
    this.tcp = new TcpStack(localIp, tcpConfig, this::send, clock, counters, random);
    this.timer = new Thread(this::runTimer, "partynet-stack-timer");
    this.timer.setDaemon(true);
    if (startTimer) {
      timer.start();
    }
  }

  public TcpStack tcp() {
    return tcp;
  }

  public StackCounters counters() {
    return counters;
  }

  public int localIp() {
    return localIp;
  }

  /** Sends a packet built by the stack: into the tunnel, or through the loopback queue when it is for us. */
  public boolean send(byte[] packet, int offset, int length) {
    if (Ipv4.getInt(packet, offset + 16) != localIp) {
      return tunnel.send(packet, offset, length);
    }
    byte[] copy = new byte[length];
    System.arraycopy(packet, offset, copy, 0, length);
    if (!loopback.offer(copy)) {
      counters.loopbackDropped.incrementAndGet();
    }
    LockSupport.unpark(timer);
    return true;
  }

  /**
   * Takes a packet out of the tunnel (or from the loopback queue). The TCP checksum of these is not
   * verified, as Linux's WireGuard marks decrypted packets {@code CHECKSUM_UNNECESSARY}: the
   * AEAD's 128-bit tag already proved every byte is what the peer's WireGuard encrypted, which the
   * 16-bit sum could only re-check with far less strength, and loopback packets are our own. What
   * the sum could still catch, corruption inside the peer's host between its TCP and its
   * WireGuard, no receiver behind WireGuard checks either; a peer sending bad sums on purpose could
   * as well send wrong data with good ones (it is authenticated, not trusted: every segment is
   * still validated). Verifying was about a tenth of the device thread's CPU (when one thread
   * decrypted and ran the stack). The IPv4 header checksum (20 bytes) is still verified; UDP and
   * ICMP keep theirs.
   */
  @Override
  public void deliver(byte[] packet, int offset, int length) {
    synchronized (header) {
      Ipv4.Header h = header;
      if (!Ipv4.tryParse(packet, offset, length, h)) {
        counters.ipMalformed.incrementAndGet();
        return;
      }
      if (h.destinationIp != localIp) {
        counters.ipNotForUs.incrementAndGet();
        if (!h.isFragment() || h.fragmentOffset == 0) {
          sendUnreachable(Icmp.CODE_HOST_UNREACHABLE, packet, offset, h);
        }
        return;
      }
      if (h.isFragment()) {
        reassembler.accept(packet, offset, h, clock.getAsLong(), reassembled);
        return;
      }
      dispatch(packet, offset, h);
    }
  }

  private void dispatchWhole(byte[] packet, int offset, int length) {
    if (Ipv4.tryParse(packet, offset, length, header)) {
      dispatch(packet, offset, header);
    }
  }

  private void dispatch(byte[] packet, int offset, Ipv4.Header h) {
    int payload = offset + h.headerLength;
    int payloadLength = h.totalLength - h.headerLength;
    switch (h.protocol) {
      case Ipv4.PROTOCOL_TCP -> tcp.inputAuthenticated(packet, payload, payloadLength, h.sourceIp, h.destinationIp);
      case Ipv4.PROTOCOL_UDP -> {
        if (!udp.deliverUdp(packet, offset, h.totalLength)) {
          counters.udpUndeliverable.incrementAndGet();
          sendUnreachable(Icmp.CODE_PORT_UNREACHABLE, packet, offset, h);
        }
      }
      case Ipv4.PROTOCOL_ICMP -> icmp(packet, offset, payload, payloadLength, h);
      default -> {
        counters.ipUnknownProtocol.incrementAndGet();
        sendUnreachable(Icmp.CODE_PROTOCOL_UNREACHABLE, packet, offset, h);
      }
    }
  }

  private void icmp(byte[] packet, int offset, int icmp, int icmpLength, Ipv4.Header h) {
    if (!Icmp.isValid(packet, icmp, icmpLength)) {
      counters.icmpDropped.incrementAndGet();
      return;
    }
    int type = Icmp.type(packet, icmp);
    if (type == Icmp.TYPE_ECHO_REQUEST) {
      if (icmpLength + Ipv4.HEADER_LENGTH > icmpPacket.length) {
        counters.icmpDropped.incrementAndGet();
        return;
      }
      int length = Icmp.buildEchoReply(packet, icmp, icmpLength, icmpPacket, localIp, h.sourceIp,
          h.identification);
      counters.icmpEchoReplies.incrementAndGet();
      send(icmpPacket, 0, length);
    } else if (type == Icmp.TYPE_DESTINATION_UNREACHABLE) {
      counters.icmpUnreachableReceived.incrementAndGet();
      int quoted = Icmp.quotedPacketOffset(packet, icmp, icmpLength);
      if (quoted >= 0 && (packet[quoted + 9] & 0xff) == Ipv4.PROTOCOL_TCP) {
        int transport = quoted + (packet[quoted] & 0x0f) * 4;
        tcp.onUnreachable(Ipv4.getInt(packet, quoted + 16), Ipv4.getShort(packet, transport + 2),
            Ipv4.getShort(packet, transport), Icmp.code(packet, icmp));
      }
    } else if (type == Icmp.TYPE_ECHO_REPLY && icmpLength >= Icmp.HEADER_LENGTH) {
      java.util.concurrent.CountDownLatch waiting = pings.get(Ipv4.getInt(packet, icmp + 4));
      if (waiting != null) {
        waiting.countDown();
      }
    } else {
      counters.icmpDropped.incrementAndGet();
    }
  }

  /** RFC 1122 section 3.2.2: never about ICMP errors, broadcasts or non-initial fragments; rate-limited. */
  private void sendUnreachable(int code, byte[] packet, int offset, Ipv4.Header h) {
    if (h.protocol == Ipv4.PROTOCOL_ICMP && h.totalLength > h.headerLength
        && Icmp.type(packet, offset + h.headerLength) != Icmp.TYPE_ECHO_REQUEST) {
      return;
    }
    if (h.sourceIp == 0 || h.sourceIp == -1 || !icmpLimit.tryAcquire(clock.getAsLong())) {
      counters.icmpDropped.incrementAndGet();
      return;
    }
    int length = Icmp.buildUnreachable(code, packet, offset, h.headerLength, h.totalLength, icmpPacket, localIp,
        h.sourceIp, 0);
    counters.icmpUnreachableSent.incrementAndGet();
    send(icmpPacket, 0, length);
  }

  /**
   * Sends one ICMP echo request with {@code payloadLength} bytes to {@code ip} and waits for the reply.
   *
   * @return whether the reply arrived within the timeout
   */
  public boolean ping(int ip, int payloadLength, java.time.Duration timeout) throws InterruptedException {
    int identifierAndSequence = pingSequence.incrementAndGet();
    java.util.concurrent.CountDownLatch reply = new java.util.concurrent.CountDownLatch(1);
    pings.put(identifierAndSequence, reply);
    try {
      int icmpLength = Icmp.HEADER_LENGTH + payloadLength;
      byte[] request = new byte[Ipv4.HEADER_LENGTH + icmpLength];
      request[Ipv4.HEADER_LENGTH] = Icmp.TYPE_ECHO_REQUEST;
      Ipv4.putInt(request, Ipv4.HEADER_LENGTH + 4, identifierAndSequence);
      Ipv4.putShort(request, Ipv4.HEADER_LENGTH + 2, Ipv4.checksum(request, Ipv4.HEADER_LENGTH, icmpLength, 0));
      Ipv4.writeHeader(request, 0, request.length, identifierAndSequence & 0xffff, Ipv4.PROTOCOL_ICMP, localIp, ip);
      if (!send(request, 0, request.length)) {
        return false;
      }
      return reply.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } finally {
      pings.remove(identifierAndSequence);
    }
  }

  /** Runs TCP's timers, expires fragment reassemblies and drains the loopback queue. */
  public void tick() {
    tcp.tick();
    synchronized (header) {
      reassembler.expire(clock.getAsLong());
    }
    byte[] local;
    while ((local = loopback.poll()) != null) {
      deliver(local, 0, local.length);
    }
  }

  /** Parks between ticks (a timed poll of a blocking queue would allocate a wait node every time). */
  private void runTimer() {
    long nextTick = System.nanoTime();
    while (!closed) {
      try {
        byte[] local = loopback.poll();
        if (local != null) {
          deliver(local, 0, local.length);
          continue;
        }
        long wait = nextTick - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(this, wait);
          continue;
        }
        nextTick = System.nanoTime() + TIMER_PERIOD_NANOS;
        tick();
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(NetworkStack.class).warn("stack timer: {}", e.toString(), e);
      }
    }
  }

  /** Reassembly statistics: completed, dropped, timed out. */
  public long[] fragmentCounters() {
    synchronized (header) {
      return new long[] {reassembler.completed(), reassembler.dropped(), reassembler.timedOut()};
    }
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(timer);
  }
}
