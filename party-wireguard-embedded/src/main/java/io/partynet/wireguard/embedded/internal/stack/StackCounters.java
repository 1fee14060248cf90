package io.partynet.wireguard.embedded.internal.stack;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the userspace stack dropped, refused or answered, since it started: every flood or
 * malformed packet shows up here instead of costing memory. Thread-safe.
 */
public final class StackCounters {
  /** Not IPv4, bad header checksum, lengths that do not add up. */
  public final AtomicLong ipMalformed = new AtomicLong();
  /** Addressed to another IP than the local virtual IP. */
  public final AtomicLong ipNotForUs = new AtomicLong();
  /** A protocol other than ICMP, TCP, UDP. */
  public final AtomicLong ipUnknownProtocol = new AtomicLong();
  public final AtomicLong icmpEchoReplies = new AtomicLong();
  public final AtomicLong icmpUnreachableReceived = new AtomicLong();
  public final AtomicLong icmpUnreachableSent = new AtomicLong();
  /** ICMP messages dropped: bad checksum, unknown type, over the rate limit. */
  public final AtomicLong icmpDropped = new AtomicLong();
  /** UDP datagrams for a port nobody bound, or malformed. */
  public final AtomicLong udpUndeliverable = new AtomicLong();
  /** Valid TCP segments taken and TCP segments sent (data, ACKs, control). */
  public final AtomicLong tcpSegmentsReceived = new AtomicLong();
  public final AtomicLong tcpSegmentsSent = new AtomicLong();
  /** TCP segments with a bad checksum or malformed header/options. */
  public final AtomicLong tcpMalformed = new AtomicLong();
  /** Segments for no connection and no listener, answered with RST (RFC 9293 section 3.10.7.1). */
  public final AtomicLong tcpResetsForUnknown = new AtomicLong();
  public final AtomicLong tcpResetsSent = new AtomicLong();
  /** SYNs dropped because a listener's half-open queue was full (a SYN flood). */
  public final AtomicLong tcpSynQueueFull = new AtomicLong();
  /** Connections refused because the stack holds its maximum. */
  public final AtomicLong tcpConnectionLimit = new AtomicLong();
  /** Segments outside the receive window, or failing PAWS (RFC 7323 section 5). */
  public final AtomicLong tcpOutOfWindow = new AtomicLong();
  public final AtomicLong tcpRetransmissionTimeouts = new AtomicLong();
  /** Fast retransmissions (the third duplicate ACK, RFC 5681 section 3.2). */
  public final AtomicLong tcpFastRetransmits = new AtomicLong();
  /**
   * Fast retransmissions found spurious (the segment was reordered, not lost: RFC 3522) whose
   * window reduction was undone (RFC 4015).
   */
  public final AtomicLong tcpSpuriousFastRetransmits = new AtomicLong();
  /** Receive buffers doubled by autotuning (the sender delivered half the buffer within a round trip). */
  public final AtomicLong tcpReceiveBufferGrown = new AtomicLong();
  /** Send buffers doubled by autotuning (the windows allowed more in flight than the buffer held). */
  public final AtomicLong tcpSendBufferGrown = new AtomicLong();
  /** Buffers that would have grown but the stack's growth budget was spent. */
  public final AtomicLong tcpBufferGrowthRefused = new AtomicLong();
  /** Packets the device could not route (no peer's allowed IPs hold the destination). */
  public final AtomicLong noRoute = new AtomicLong();
  /** Packets to our own virtual IP dropped because the loopback queue was full. */
  public final AtomicLong loopbackDropped = new AtomicLong();

  /** Name to value of every counter, for status output and logs. */
  public Map<String, Long> snapshot() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (var field : StackCounters.class.getFields()) {
      try {
        out.put(field.getName(), ((AtomicLong) field.get(this)).get());
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return snapshot().toString();
  }
}
