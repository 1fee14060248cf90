package io.partynet.wireguard.embedded.internal.stack.tcp;

import java.time.Duration;

/**
 * The limits and timers of a {@link TcpStack}. Every buffer is bounded by these numbers: memory
 * use is at most {@code maxConnections * (sendBufferBytes + receiveBufferBytes)} plus fixed costs.
 *
 * @param mtu the tunnel MTU; the MSS is {@code mtu - 40}
 * @param sendBufferBytes per connection, unacknowledged plus unsent bytes
 * @param receiveBufferBytes per connection, the largest receive window
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
 */
public record TcpConfig(int mtu, int sendBufferBytes, int receiveBufferBytes, int maxConnections, int synBacklog,
    int acceptBacklog, Duration minRto, int maxRetransmissions, int synRetransmissions, Duration maxSegmentLifetime,
    Duration delayedAck, Duration keepAliveIdle, Duration keepAliveInterval, int keepAliveProbes,
    Duration finWait2Timeout) {

  public TcpConfig {
    if (mtu < 576 || mtu > 65535) {
      throw new IllegalArgumentException("mtu must be 576..65535: " + mtu);
    }
    if (sendBufferBytes < 1024 || receiveBufferBytes < 1024 || receiveBufferBytes > (1 << 30)
        || sendBufferBytes > (1 << 30)) {
      throw new IllegalArgumentException("buffers must be 1 KiB..1 GiB");
    }
    if (maxConnections < 1 || synBacklog < 1 || acceptBacklog < 1 || maxRetransmissions < 1
        || synRetransmissions < 1 || keepAliveProbes < 1) {
      throw new IllegalArgumentException("limits and counts must be >= 1");
    }
  }

  /** Defaults for a tunnel of {@code mtu}: 256 KiB buffers, 1024 connections, Linux-like timers. */
  public static TcpConfig defaults(int mtu) {
    return new TcpConfig(mtu, 256 * 1024, 256 * 1024, 1024, 128, 128, Duration.ofMillis(200), 12, 5,
        Duration.ofSeconds(30), Duration.ofMillis(40), Duration.ofMinutes(2), Duration.ofSeconds(15), 8,
        Duration.ofSeconds(60));
  }

  public TcpConfig withBuffers(int sendBytes, int receiveBytes) {
    return new TcpConfig(mtu, sendBytes, receiveBytes, maxConnections, synBacklog, acceptBacklog, minRto,
        maxRetransmissions, synRetransmissions, maxSegmentLifetime, delayedAck, keepAliveIdle, keepAliveInterval,
        keepAliveProbes, finWait2Timeout);
  }

  public TcpConfig withKeepAlive(Duration idle, Duration interval, int probes) {
    return new TcpConfig(mtu, sendBufferBytes, receiveBufferBytes, maxConnections, synBacklog, acceptBacklog, minRto,
        maxRetransmissions, synRetransmissions, maxSegmentLifetime, delayedAck, idle, interval, probes,
        finWait2Timeout);
  }

  public TcpConfig withMaxConnections(int connections, int backlog) {
    return new TcpConfig(mtu, sendBufferBytes, receiveBufferBytes, connections, backlog, backlog, minRto,
        maxRetransmissions, synRetransmissions, maxSegmentLifetime, delayedAck, keepAliveIdle, keepAliveInterval,
        keepAliveProbes, finWait2Timeout);
  }

  /** The MSS this side announces: the MTU minus the IPv4 and TCP headers. */
  int announcedMss() {
    return mtu - 40;
  }
}
