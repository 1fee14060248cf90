package io.partynet.wireguard.embedded.internal.stack.tcp;

/**
 * The receiving half of a {@link TcpConnection}: the receive buffer with its out-of-order ranges,
 * the acceptability test of RFC 9293 section 3.10.7.4, delayed ACKs (section 3.8.6.3: every
 * second full segment, otherwise within the delay), the advertised window with receiver-side silly
 * window avoidance (section 3.8.6.2.2) and window scaling, receive-buffer autotuning, and the
 * timestamp state of RFC 7323 (TS.Recent, PAWS). Guarded by the connection's monitor.
 */
final class TcpReceiver {
  final ReceiveBuffer buffer;
  private final int announcedMss;
  private final long delayedAckNanos;
  private final int timestampOffset;
  /** Window scale shift announced in our SYN (RFC 7323 section 2.2); 0 when the peer does not scale. */
  int shift;
  /** Whether window scaling is on: offered in our SYN, kept only if the peer's SYN offers it too. */
  boolean scaling;
  boolean timestamps;
  int tsRecent;
  private int lastAckSent;
  private int advertisedEdge;
  boolean finReceived;
  private int segmentsSinceAck;
  private long delayedAckDeadline;
  /** Autotuning: the latest round trip seen through echoed timestamps, 0 before the first. */
  private long roundTripNanos;
  private boolean measuring;
  private long measureStartNanos;
  private int measureStartSeq;

  TcpReceiver(TcpConfig config, int timestampOffset, BufferGrowthBudget budget) {
    this.buffer = new ReceiveBuffer(config.receiveBufferBytes(), config.receiveBufferMaxBytes(), budget, 0);
    this.announcedMss = config.announcedMss();
    this.delayedAckNanos = config.delayedAck().toNanos();
    this.timestampOffset = timestampOffset;
    int bits = 0;
    while ((config.receiveBufferMaxBytes() >> bits) > 65535) {
      bits++;
    }
    this.shift = bits;
  }

  /** Before our SYN of an active open: offer window scaling and timestamps. */
  void offerOptions() {
    scaling = true;
    timestamps = true;
  }

  /** The window scale option for a SYN we send, or -1 for none. */
  int scaleOption() {
    return scaling ? shift : -1;
  }

  /** Takes the peer's SYN options: without its window scale option neither side scales. */
  void takeSynOptions(TcpSegment syn) {
    scaling = syn.windowScale >= 0;
    if (!scaling) {
      shift = 0;
    }
    timestamps = syn.hasTimestamp;
    if (timestamps) {
      tsRecent = syn.tsVal;
    }
  }

  /** Our timestamp clock: milliseconds plus a per-connection offset (RFC 7323 section 5.4). */
  int timestampNow(long now) {
    return (int) (now / 1_000_000L) + timestampOffset;
  }

  /** PAWS (RFC 7323 section 5.3): a segment whose timestamp is older than TS.Recent is a stale duplicate. */
  boolean isStale(TcpSegment s) {
    return timestamps && s.hasTimestamp && !s.has(TcpSegment.RST) && Seq.lt(s.tsVal, tsRecent);
  }

  /** RFC 7323 section 4.3: TS.Recent follows segments that cover the last ACK we sent. */
  void updateTsRecent(TcpSegment s) {
    if (timestamps && s.hasTimestamp && Seq.le(s.seq, lastAckSent)) {
      tsRecent = s.tsVal;
    }
  }

  /** RFC 9293 section 3.10.7.4, first check: does the segment overlap the receive window? */
  boolean acceptable(TcpSegment s) {
    int length = s.sequenceLength();
    int next = buffer.next();
    int window = buffer.window();
    if (length == 0) {
      return window == 0 ? s.seq == next : Seq.inRange(s.seq, next, next + window);
    }
    return window != 0
        && (Seq.inRange(s.seq, next, next + window) || Seq.inRange(s.seq + length - 1, next, next + window));
  }

  /**
   * Stores the segment's data; returns true when an ACK must leave now: out of order or a
   * duplicate (the sender's fast retransmit counts them), or the second unacknowledged full
   * segment. Otherwise the ACK is delayed.
   */
  boolean storeData(TcpSegment s, long now) {
    boolean inOrder = s.seq == buffer.next() && !buffer.hasOutOfOrderData();
    int advanced = buffer.store(s.seq, s.buffer, s.dataOffset, s.dataLength);
    if (!inOrder || advanced == 0) {
      return true;
    }
    if (buffer.canGrow() && autotune(s, now)) {
      return true;
    }
    if (++segmentsSinceAck >= 2) {
      return true;
    }
    if (delayedAckDeadline == 0) {
      delayedAckDeadline = now + delayedAckNanos;
    }
    return false;
  }

  /**
   * Receive-buffer autotuning, after Linux's dynamic right-sizing: once per round trip, when the
   * sender delivered at least half the buffer in it, the window (not the network) is about to
   * hold it back, and the buffer doubles. The round trip comes from the timestamps the sender
   * echoes (our clock, in milliseconds, at least 1 ms), or is taken as the delayed-ACK time when
   * timestamps are off (an over-estimate: the window then grows only when it is needed at that
   * round trip). A slow reader never grows it: it must leave less than half the buffer unread.
   * The ACK that follows at once advertises the larger window. Returns whether the buffer grew.
   */
  private boolean autotune(TcpSegment s, long now) {
    if (timestamps && s.hasTimestamp && s.tsEcr != 0) {
      int rttMillis = timestampNow(now) - s.tsEcr;
      if (rttMillis >= 0 && rttMillis < 60_000) {
        roundTripNanos = Math.max(1, rttMillis) * 1_000_000L;
      }
    }
    if (!measuring) {
      startMeasurement(now);
      return false;
    }
    long period = roundTripNanos > 0 ? roundTripNanos : delayedAckNanos;
    if (now - measureStartNanos < period) {
      return false;
    }
    int receivedInPeriod = buffer.next() - measureStartSeq;
    boolean grew = receivedInPeriod >= buffer.capacity() / 2 && buffer.readable() < buffer.capacity() / 2
        && buffer.grow();
    startMeasurement(now);
    return grew;
  }

  private void startMeasurement(long now) {
    measuring = true;
    measureStartNanos = now;
    measureStartSeq = buffer.next();
  }

  /** True when the peer's FIN is the next sequence number after {@code s}'s data. */
  boolean finInSequence(TcpSegment s) {
    return s.seq + s.dataLength == buffer.next() && !finReceived;
  }

  boolean delayedAckDue(long now) {
    return delayedAckDeadline != 0 && now - delayedAckDeadline >= 0;
  }

  /** A segment carrying {@code ack} left: it acknowledges everything a delayed ACK waited for. */
  void ackSent(int ack) {
    lastAckSent = ack;
    delayedAckDeadline = 0;
    segmentsSinceAck = 0;
  }

  void cancelDelayedAck() {
    delayedAckDeadline = 0;
  }

  /** The window field, keeping the right edge still until it can move by a useful amount (RFC 9293 3.8.6.2.2). */
  int advertiseWindow(boolean syn) {
    int next = buffer.next();
    int free = buffer.window();
    if (syn) {
      advertisedEdge = next + Math.min(free, 65535);
      return Math.min(free, 65535);
    }
    int edge = next + free;
    if (Seq.gt(edge, advertisedEdge) && edge - advertisedEdge < usefulIncrease() && Seq.ge(advertisedEdge, next)) {
      edge = advertisedEdge;
    }
    int scaled = Math.min((edge - next) >>> shift, 65535);
    advertisedEdge = Seq.max(advertisedEdge, next + (scaled << shift));
    return scaled;
  }

  /** After a read: has the window opened enough since the last advertisement to tell the peer? */
  boolean windowUpdateDue() {
    return buffer.next() + buffer.window() - advertisedEdge >= usefulIncrease();
  }

  private int usefulIncrease() {
    return Math.min(buffer.capacity() / 2, announcedMss);
  }
}
