package io.partynet.wireguard.embedded.internal.stack.tcp;

import io.partynet.wireguard.embedded.internal.stack.StackCounters;
import io.partynet.wireguard.embedded.internal.stack.ipv4.Ipv4;
import java.io.IOException;
import java.net.BindException;
import java.net.NoRouteToHostException;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

/**
 * TCP on one local IPv4 address: demultiplexes arriving segments to connections and listeners,
 * answers segments for nobody with RST (RFC 9293 section 3.10.7.1), opens connections, and runs
 * every connection's timers from {@link #tick}. The number of connections in any state is
 * bounded by {@link TcpConfig#maxConnections}.
 *
 * <p>Thread-safe. Lock order: connection, then listener, then the connection table; segment
 * input is serialised (one view of the arriving segment is reused, nothing is allocated).
 */
public final class TcpStack {
  private static final int FIRST_EPHEMERAL_PORT = 49152;

  private final int localIp;
  private final TcpConfig config;
  private final IpOutput output;
  private final LongSupplier clock;
  private final StackCounters counters;
  private final IsnGenerator isn;
  private final SplittableRandom portRandom;
  private final ConnectionTable table;
  private final BufferGrowthBudget growthBudget;
  private final AtomicReferenceArray<TcpListener> listeners = new AtomicReferenceArray<>(65536);
  private final TcpSegment segment = new TcpSegment();
  private final byte[] resetPacket = new byte[Ipv4.HEADER_LENGTH + TcpSegment.HEADER_LENGTH];
  private TcpConnection[] timerScratch = new TcpConnection[16];

  public TcpStack(int localIp, TcpConfig config, IpOutput output, LongSupplier nanoClock, StackCounters counters,
      SecureRandom random) {
    this.localIp = localIp;
    this.config = config;
    this.output = output;
    this.clock = nanoClock;
    this.counters = counters;
    this.isn = new IsnGenerator(random);
    this.portRandom = new SplittableRandom(random.nextLong());
    this.table = new ConnectionTable(config.maxConnections());
    this.growthBudget = new BufferGrowthBudget(config.bufferGrowthBudgetBytes(), counters);
  }

  TcpConfig config() {
    return config;
  }

  int localIp() {
    return localIp;
  }

  long now() {
    return clock.getAsLong();
  }

  StackCounters counters() {
    return counters;
  }

  BufferGrowthBudget growthBudget() {
    return growthBudget;
  }

  /** Connections in any state. */
  public int connectionCount() {
    synchronized (table) {
      return table.size();
    }
  }

  static long key(int remoteIp, int remotePort, int localPort) {
    return ((long) remoteIp << 32) | ((long) remotePort << 16) | localPort;
  }

  static String format(int ip) {
    return (ip >>> 24) + "." + ((ip >>> 16) & 0xff) + "." + ((ip >>> 8) & 0xff) + "." + (ip & 0xff);
  }

  /** Takes the TCP segment of an IPv4 packet addressed to the local IP; a bad checksum drops it. */
  public void input(byte[] packet, int tcpOffset, int tcpLength, int sourceIp, int destinationIp) {
    input(packet, tcpOffset, tcpLength, sourceIp, destinationIp, true);
  }

  /**
   * Takes a TCP segment whose integrity something stronger than the checksum already proved
   * (see {@link io.partynet.wireguard.embedded.internal.stack.NetworkStack#deliver}): its checksum
   * is not verified. Header and options are validated as always.
   */
  public void inputAuthenticated(byte[] packet, int tcpOffset, int tcpLength, int sourceIp, int destinationIp) {
    input(packet, tcpOffset, tcpLength, sourceIp, destinationIp, false);
  }

  private void input(byte[] packet, int tcpOffset, int tcpLength, int sourceIp, int destinationIp,
      boolean verifyChecksum) {
    long now = clock.getAsLong();
    synchronized (segment) {
      TcpSegment s = segment;
      if (!s.parse(packet, tcpOffset, tcpLength, sourceIp, destinationIp, verifyChecksum) || s.sourcePort == 0
          || s.destinationPort == 0) {
        counters.tcpMalformed.incrementAndGet();
        return;
      }
      counters.tcpSegmentsReceived.incrementAndGet();
      TcpConnection connection;
      synchronized (table) {
        connection = table.get(key(sourceIp, s.sourcePort, s.destinationPort));
      }
      if (connection != null) {
        connection.onSegment(s, now);
        return;
      }
      TcpListener listener = listeners.get(s.destinationPort);
      if (listener != null && s.has(TcpSegment.SYN) && !s.has(TcpSegment.ACK) && !s.has(TcpSegment.RST)) {
        passiveOpen(listener, s, now);
        return;
      }
      if (s.has(TcpSegment.RST)) {
        return;
      }
      counters.tcpResetsForUnknown.incrementAndGet();
      if (s.has(TcpSegment.ACK)) {
        sendReset(sourceIp, s.sourcePort, s.destinationPort, s.ack, 0, false);
      } else {
        sendReset(sourceIp, s.sourcePort, s.destinationPort, 0, s.seq + s.sequenceLength(), true);
      }
    }
  }

  /**
   * An ICMP destination unreachable quoted one of our segments (RFC 1122 section 4.2.3.9): a
   * protocol or port unreachable refuses a connection still in SYN_SENT; the soft errors (net,
   * host) leave it to the retransmission timer.
   */
  public void onUnreachable(int remoteIp, int remotePort, int localPort, int code) {
    TcpConnection connection;
    synchronized (table) {
      connection = table.get(key(remoteIp, remotePort, localPort));
    }
    if (connection != null && (code == 2 || code == 3)) {
      connection.onHardUnreachable();
    }
  }

  private void passiveOpen(TcpListener listener, TcpSegment syn, long now) {
    if (!listener.tryReserveHalfOpen()) {
      counters.tcpSynQueueFull.incrementAndGet();
      return;
    }
    long key = key(syn.sourceIp, syn.sourcePort, syn.destinationPort);
    TcpConnection c = new TcpConnection(this, listener, syn.destinationPort, syn.sourceIp, syn.sourcePort,
        isn.next(key, now), (int) isn.sipHash(~key), now);
    boolean added;
    synchronized (table) {
      added = table.put(c);
    }
    if (!added) {
      listener.halfOpenGone();
      counters.tcpConnectionLimit.incrementAndGet();
      return;
    }
    c.acceptSyn(syn, now);
  }

  /** Active open from an ephemeral port; the SYN is on its way when this returns. */
  public TcpConnection connect(int remoteIp, int remotePort) throws IOException {
    if (remotePort < 1 || remotePort > 65535) {
      throw new IllegalArgumentException("port must be 1..65535: " + remotePort);
    }
    long now = clock.getAsLong();
    TcpConnection c = null;
    synchronized (table) {
      if (table.isFull()) {
        counters.tcpConnectionLimit.incrementAndGet();
        throw new BindException("the party TCP stack holds its maximum of " + config.maxConnections()
            + " connections; close some");
      }
      for (int attempt = 0; attempt < 64 && c == null; attempt++) {
        int port = FIRST_EPHEMERAL_PORT + portRandom.nextInt(65536 - FIRST_EPHEMERAL_PORT);
        long key = key(remoteIp, remotePort, port);
        if (table.get(key) == null) {
          c = new TcpConnection(this, null, port, remoteIp, remotePort, isn.next(key, now), (int) isn.sipHash(~key),
              now);
          table.put(c);
        }
      }
    }
    if (c == null) {
      throw new BindException("no free ephemeral port toward " + format(remoteIp) + ":" + remotePort);
    }
    if (!c.open(now)) {
      throw new NoRouteToHostException("no peer's allowed IPs contain " + format(remoteIp)
          + "; add the peer (or its allowed IPs) first");
    }
    return c;
  }

  /** Listens on {@code port} of the local virtual IP. */
  public TcpListener listen(int port) throws BindException {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535: " + port);
    }
    TcpListener listener = new TcpListener(this, port, config.synBacklog(), config.acceptBacklog());
    if (!listeners.compareAndSet(port, null, listener)) {
      throw new BindException("party TCP port " + port + " is already listening; close that listener first");
    }
    return listener;
  }

  void unlisten(TcpListener listener) {
    listeners.compareAndSet(listener.port(), listener, null);
  }

  void remove(TcpConnection c, boolean wasHalfOpen) {
    synchronized (table) {
      if (c.slot >= 0) {
        table.remove(c);
      }
    }
    if (wasHalfOpen && c.listener != null) {
      c.listener.halfOpenGone();
    }
  }

  boolean transmit(byte[] packet, int length) {
    counters.tcpSegmentsSent.incrementAndGet();
    if (!output.send(packet, 0, length)) {
      counters.noRoute.incrementAndGet();
      return false;
    }
    return true;
  }

  void sendReset(int remoteIp, int remotePort, int localPort, int seq, int ack, boolean withAck) {
    synchronized (resetPacket) {
      int length = TcpSegment.write(resetPacket, localIp, remoteIp, localPort, remotePort, seq, ack,
          TcpSegment.RST | (withAck ? TcpSegment.ACK : 0), 0, -1, -1, false, 0, 0, 0);
      counters.tcpResetsSent.incrementAndGet();
      transmit(resetPacket, length);
    }
  }

  /** Runs due timers of every connection; the stack's timer thread calls it every few milliseconds. */
  public void tick() {
    long now = clock.getAsLong();
    TcpConnection[] scratch;
    int n;
    synchronized (table) {
      if (timerScratch.length < table.size()) {
        timerScratch = new TcpConnection[Integer.highestOneBit(table.size()) << 1];
      }
      scratch = timerScratch;
      n = table.copyTo(scratch);
    }
    for (int i = 0; i < n; i++) {
      scratch[i].onTimer(now);
      scratch[i] = null;
    }
  }
}
