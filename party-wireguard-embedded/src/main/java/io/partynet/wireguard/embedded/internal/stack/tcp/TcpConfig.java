package io.partynet.wireguard.embedded.internal.stack.tcp;

import java.time.Duration;

/**
 * The limits and timers of a {@link TcpStack}. Every buffer is bounded by these numbers: memory
 * use is at most {@code maxConnections * (sendBufferBytes + receiveBufferBytes) + bufferGrowthBudgetBytes}
 * plus fixed costs.
 *
 * @param mtu the tunnel MTU; the MSS is {@code mtu - 40}
 * @param sendBufferBytes per connection, unacknowledged plus unsent bytes it starts with
 * @param receiveBufferBytes per connection, the receive window it starts with
 * @param maxConnections connections in any state, TIME_WAIT and SYN_RECEIVED included
 * @param synBacklog half-open (SYN_RECEIVED) connections per listener
 * @param acceptBacklog established connections waiting for accept() per listener
 * @param minRto the floor of the retransmission timeout (RFC 6298 section 2.4 says 1 s, Linux 200 ms)
 * @param maxRetransmissions consecutive timeouts of one segment before the connection fails
 * @param synRetransmissions SYN (or SYN-ACK) retransmissions before giving up
 * @param maxSegmentLifetime MSL; TIME_WAIT lasts twice this (RFC 9293 section 3.4.2)
 * @param delayedAck the longest an ACK is held back (RFC 9293 section 3.8.6.3: under 0.5 s)
 * @param keepAliveIdle idle time before keep-alive probes (RFC 1122 section 4.2.3.6); zero disables
 * @param keepAliveInterval time between unanswered probes
 * @param keepAliveProbes unanswered probes before the connection fails
 * @param finWait2Timeout how long a connection the application closed waits in FIN_WAIT_2
 * @param sendBufferMaxBytes per connection, the largest send buffer autotuning may grow to (equal
 *     to {@code sendBufferBytes}: no autotuning)
 * @param receiveBufferMaxBytes per connection, the largest receive window autotuning may grow to
 *     (equal to {@code receiveBufferBytes}: no autotuning)
 * @param bufferGrowthBudgetBytes for the whole stack, the bytes all grown buffers may hold beyond
 *     their initial sizes together
 */
public record TcpConfig(int mtu, int sendBufferBytes, int receiveBufferBytes, int maxConnections, int synBacklog,
    int acceptBacklog, Duration minRto, int maxRetransmissions, int synRetransmissions, Duration maxSegmentLifetime,
    Duration delayedAck, Duration keepAliveIdle, Duration keepAliveInterval, int keepAliveProbes,
    Duration finWait2Timeout, int sendBufferMaxBytes, int receiveBufferMaxBytes, long bufferGrowthBudgetBytes) {

  public TcpConfig {
    if (mtu < 576 || mtu > 65535) {
      throw new IllegalArgumentException("mtu must be 576..65535: " + mtu);
    }
    if (sendBufferBytes < 1024 || receiveBufferBytes < 1024 || receiveBufferBytes > (1 << 30)
        || sendBufferBytes > (1 << 30)) {
      throw new IllegalArgumentException("buffers must be 1 KiB..1 GiB");
    }
    if (receiveBufferMaxBytes < receiveBufferBytes || receiveBufferMaxBytes > (1 << 30)
        || sendBufferMaxBytes < sendBufferBytes || sendBufferMaxBytes > (1 << 30) || bufferGrowthBudgetBytes < 0) {
      throw new IllegalArgumentException("a buffer's maximum must be its initial size..1 GiB and the growth "
          + "budget >= 0");
    }
    if (maxConnections < 1 || synBacklog < 1 || acceptBacklog < 1 || maxRetransmissions < 1
        || synRetransmissions < 1 || keepAliveProbes < 1) {
      throw new IllegalArgumentException("limits and counts must be >= 1");
    }
  }

  /**
   * Defaults for a tunnel of {@code mtu}: 256 KiB buffers, autotuned up to {@value #DEFAULT_BUFFER_MAX}
   * bytes within a stack-wide {@value #DEFAULT_GROWTH_BUDGET} bytes, 1024 connections, Linux-like
   * timers.
   */
  public static TcpConfig defaults(int mtu) {
    return new TcpConfig(mtu, 256 * 1024, 256 * 1024, 1024, 128, 128, Duration.ofMillis(200), 12, 5,
        Duration.ofSeconds(30), Duration.ofMillis(40), Duration.ofMinutes(2), Duration.ofSeconds(15), 8,
        Duration.ofSeconds(60), DEFAULT_BUFFER_MAX, DEFAULT_BUFFER_MAX, DEFAULT_GROWTH_BUDGET);
  }

  /**
   * A window of 256 KiB held a forward's receiving direction to 0.3-0.6x of kernel TCP (whose
   * autotuned buffers reach megabytes): the sender waited for ACKs with the window full. 4 MiB
   * covers 300 Mbit/s at a 100 ms round trip.
   */
  static final int DEFAULT_BUFFER_MAX = 4 << 20;
  /** Four connections with both buffers at the maximum at once; the rest keep their initial sizes. */
  static final long DEFAULT_GROWTH_BUDGET = 32L << 20;

  /** Fixed buffers: neither grows. */
  public TcpConfig withBuffers(int sendBytes, int receiveBytes) {
    return new TcpConfig(mtu, sendBytes, receiveBytes, maxConnections, synBacklog, acceptBacklog, minRto,
        maxRetransmissions, synRetransmissions, maxSegmentLifetime, delayedAck, keepAliveIdle, keepAliveInterval,
        keepAliveProbes, finWait2Timeout, sendBytes, receiveBytes, 0);
  }

  /** Buffers that grow from their initial sizes up to these maxima, within {@code budgetBytes} for the stack. */
  public TcpConfig withAutotuning(int sendMaxBytes, int receiveMaxBytes, long budgetBytes) {
    return new TcpConfig(mtu, sendBufferBytes, receiveBufferBytes, maxConnections, synBacklog, acceptBacklog, minRto,
        maxRetransmissions, synRetransmissions, maxSegmentLifetime, delayedAck, keepAliveIdle, keepAliveInterval,
        keepAliveProbes, finWait2Timeout, sendMaxBytes, receiveMaxBytes, budgetBytes);
  }

  public TcpConfig withKeepAlive(Duration idle, Duration interval, int probes) {
    return new TcpConfig(mtu, sendBufferBytes, receiveBufferBytes, maxConnections, synBacklog, acceptBacklog, minRto,
        maxRetransmissions, synRetransmissions, maxSegmentLifetime, delayedAck, idle, interval, probes,
        finWait2Timeout, sendBufferMaxBytes, receiveBufferMaxBytes, bufferGrowthBudgetBytes);
  }

  public TcpConfig withMaxConnections(int connections, int backlog) {
    return new TcpConfig(mtu, sendBufferBytes, receiveBufferBytes, connections, backlog, backlog, minRto,
        maxRetransmissions, synRetransmissions, maxSegmentLifetime, delayedAck, keepAliveIdle, keepAliveInterval,
        keepAliveProbes, finWait2Timeout, sendBufferMaxBytes, receiveBufferMaxBytes, bufferGrowthBudgetBytes);
  }

  /** The MSS this side announces: the MTU minus the IPv4 and TCP headers. */
  int announcedMss() {
    return mtu - 40;
  }
}
