package io.partynet.wireguard.embedded.internal.stack.tcp;

import io.partynet.wireguard.embedded.internal.stack.StackCounters;

/**
 * The sending half of a connection (RFC 9293 section 3.3.1's SND variables): the send buffer,
 * segmentation within the peer's window and the congestion window, acknowledgement processing,
 * retransmission (RFC 6298 timer, NewReno fast retransmit, spurious fast retransmits detected with
 * the timestamps as in RFC 3522 and undone), the FIN, and zero-window probing
 * (RFC 9293 section 3.8.6.1). Segments go out through the connection's {@link Emitter}.
 * Not thread-safe: the connection's lock guards it.
 */
final class TcpSender {
  /** Builds and sends one segment; data comes from the send buffer at {@code bufferOffset}. */
  interface Emitter {
    void emit(int seq, int flags, int bufferOffset, int dataLength);
  }

  private final Emitter emitter;
  private final StackCounters counters;
  final SendBuffer buffer;
  final RetransmissionTimer rto;
  final int iss;
  int una;
  int next;
  /** The highest sequence number sent so far (SND.NXT before any go-back-N after a timeout). */
  int max;
  /** SND.WND in bytes (already scaled). */
  int window;
  int wl1;
  int wl2;
  int windowShift;
  /** Data bytes per segment: the effective MSS minus the timestamp option when it is on. */
  int mss;
  NewReno congestion;
  boolean finQueued;
  int finSeq;
  long rtoDeadline;
  int consecutiveTimeouts;
  long persistDeadline;
  private int persistBackoffs;
  /** Karn's algorithm timing when timestamps are off: one segment at a time. */
  private boolean timing;
  private int timedSeq;
  private long timedAtNanos;
  /** The application found the buffer full since the buffer last grew (autotuning). */
  boolean writerWaited;
  /** A fast retransmission awaits its first ACK, which tells whether it was spurious (RFC 3522). */
  private boolean spuriousCheckPending;
  /** RFC 3522's RetransmitTS: our timestamp clock when the fast retransmission left (or before). */
  private int fastRetransmitTimestamp;

  TcpSender(Emitter emitter, SendBuffer buffer, int iss, long minRtoNanos, StackCounters counters) {
    this.emitter = emitter;
    this.counters = counters;
    this.buffer = buffer;
    this.rto = new RetransmissionTimer(minRtoNanos);
    this.iss = iss;
    this.una = iss;
    this.next = iss;
    this.max = iss;
  }

  /** Called once the SYN exchange fixed the MSS (data bytes per segment). */
  void start(int segmentData) {
    this.mss = segmentData;
    this.congestion = new NewReno(segmentData, iss);
  }

  int flight() {
    return next - una;
  }

  boolean finSent() {
    return finQueued && Seq.gt(max, finSeq);
  }

  boolean finAcknowledged() {
    return finQueued && Seq.gt(una, finSeq);
  }

  private int unsent() {
    int dataEnd = finQueued && Seq.gt(next, finSeq) ? finSeq : next;
    return buffer.size() - Math.max(0, dataEnd - una);
  }

  boolean hasUnsentData() {
    return unsent() > 0;
  }

  /** Queues the FIN after everything written so far (the application shut down its output). */
  void queueFin() {
    if (!finQueued) {
      finQueued = true;
      finSeq = una + buffer.size();
    }
  }

  /**
   * Sends what the windows allow (RFC 9293 section 3.8.6.2.1's sender-side silly window
   * avoidance: full segments, or the last bytes queued, or anything when nothing is in flight).
   *
   * @return whether any segment went out (it carried an ACK)
   */
  boolean output(long now) {
    boolean sent = false;
    while (true) {
      int unsent = unsent();
      int usable = Math.min(congestion.window(), window) - flight();
      if (unsent > 0 && usable > 0) {
        int length = Math.min(Math.min(mss, unsent), usable);
        if (length < mss && length < unsent && flight() > 0) {
          break;
        }
        boolean fin = finQueued && length == unsent;
        int flags = TcpSegment.ACK | (length == unsent ? TcpSegment.PSH : 0) | (fin ? TcpSegment.FIN : 0);
        transmit(next, flags, next - una, length, now);
        next += length + (fin ? 1 : 0);
        sent = true;
      } else if (unsent <= 0 && finQueued && next == finSeq) {
        transmit(next, TcpSegment.ACK | TcpSegment.FIN, 0, 0, now);
        next++;
        sent = true;
      } else {
        break;
      }
    }
    if (window == 0 && unsent() > 0 && flight() == 0) {
      if (persistDeadline == 0) {
        persistBackoffs = 0;
        persistDeadline = now + rto.rtoNanos();
      }
    } else {
      persistDeadline = 0;
    }
    return sent;
  }

  private void transmit(int seq, int flags, int bufferOffset, int length, long now) {
    boolean newData = Seq.ge(seq, max);
    emitter.emit(seq, flags, bufferOffset, length);
    int end = seq + length + ((flags & TcpSegment.FIN) != 0 ? 1 : 0);
    if (Seq.gt(end, max)) {
      max = end;
    }
    if (rtoDeadline == 0) {
      rtoDeadline = now + rto.rtoNanos();
    }
    if (newData && !timing) {
      timing = true;
      timedSeq = seq;
      timedAtNanos = now;
    }
  }

  /**
   * Send-buffer autotuning (as Linux grows a socket's send buffer with the congestion window): the
   * buffer doubles when it, and neither window, holds the sender back: the application waited for
   * room, and the congestion and peer windows would let at least a segment more be in flight than
   * the whole buffer holds. Called after an ACK was processed. Returns whether it grew (the
   * application then has room to write at once).
   */
  boolean growIfBufferLimited() {
    if (!writerWaited || !buffer.canGrow() || finQueued
        || (long) Math.min(congestion.window(), window) < (long) buffer.capacity() + mss) {
      return false;
    }
    writerWaited = false;
    return buffer.grow();
  }

  /** Retransmits the first unacknowledged segment (fast retransmit, partial ACK, timeout). */
  private void retransmitFirst(long now) {
    int dataOutstanding = Math.min(buffer.size(), max - una);
    int length = Math.min(mss, dataOutstanding);
    boolean fin = finQueued && Seq.gt(max, finSeq) && una + length == finSeq;
    if (length == 0 && !fin) {
      return;
    }
    timing = false;
    transmit(una, TcpSegment.ACK | (fin ? TcpSegment.FIN : 0), 0, length, now);
    int end = una + length + (fin ? 1 : 0);
    if (Seq.lt(next, end)) {
      next = end;
    }
  }

  /**
   * Processes the acknowledgement fields of an acceptable segment (RFC 9293 section 3.10.7.4,
   * fifth check, ESTABLISHED). Returns false when the ACK acknowledges something never sent
   * (the caller answers with an ACK and drops the segment).
   */
  boolean onAck(TcpSegment s, long now, int timestampNowMillis, boolean timestamps) {
    int ack = s.ack;
    if (Seq.gt(ack, max)) {
      return false;
    }
    int advertised = s.window << windowShift;
    if (ack == una) {
      boolean duplicate = s.dataLength == 0 && (s.flags & (TcpSegment.SYN | TcpSegment.FIN)) == 0
          && advertised == window && max != una;
      if (duplicate && congestion.onDuplicateAck(max - una, max)) {
        counters.tcpFastRetransmits.incrementAndGet();
        retransmitFirst(now);
        spuriousCheckPending = timestamps;
        fastRetransmitTimestamp = timestampNowMillis;
      }
    } else if (Seq.gt(ack, una)) {
      int acked = ack - una;
      // the first ACK covering the retransmitted segment echoes the timestamp of the copy that
      // filled the hole: an older one than the retransmission's means the original arrived
      boolean spurious = spuriousCheckPending && congestion.inRecovery() && s.hasTimestamp && s.tsEcr != 0
          && Seq.lt(s.tsEcr, fastRetransmitTimestamp);
      spuriousCheckPending = false;
      buffer.acknowledge(Math.min(acked, buffer.size()));
      una = ack;
      if (Seq.lt(next, una)) {
        next = una;
      }
      if (timestamps && s.hasTimestamp && s.tsEcr != 0) {
        rto.sample((long) (timestampNowMillis - s.tsEcr) * 1_000_000L);
      } else if (timing && Seq.gt(ack, timedSeq)) {
        rto.sample(now - timedAtNanos);
      }
      if (timing && Seq.gt(ack, timedSeq)) {
        timing = false;
      }
      consecutiveTimeouts = 0;
      boolean partial = false;
      if (spurious) {
        counters.tcpSpuriousFastRetransmits.incrementAndGet();
        congestion.undoSpuriousRecovery(max - una, acked);
      } else {
        partial = congestion.onNewAck(ack, acked, max - una);
      }
      rtoDeadline = una == max ? 0 : now + rto.rtoNanos();
      if (partial) {
        retransmitFirst(now);
      }
    }
    if (Seq.lt(wl1, s.seq) || (wl1 == s.seq && Seq.le(wl2, ack))) {
      window = advertised;
      wl1 = s.seq;
      wl2 = ack;
    }
    return true;
  }

  /** The retransmission timer expired (RFC 6298 section 5.4-5.6): back off and go back to SND.UNA. */
  void onRetransmissionTimeout(long now) {
    consecutiveTimeouts++;
    spuriousCheckPending = false;
    rto.backOff();
    rtoDeadline = 0;
    timing = false;
    congestion.onTimeout(max - una, max);
    next = una;
    output(now);
    if (rtoDeadline == 0 && una != max) {
      retransmitFirst(now);
    }
  }

  /** The persist timer expired: probe the zero window (a segment just below SND.UNA), back off. */
  void onPersistTimeout(long now) {
    if (window != 0 || unsent() <= 0) {
      persistDeadline = 0;
      return;
    }
    emitter.emit(una - 1, TcpSegment.ACK, 0, 0);
    persistBackoffs = Math.min(persistBackoffs + 1, 12);
    persistDeadline = now + Math.min(RetransmissionTimer.MAX_RTO_NANOS, rto.rtoNanos() << persistBackoffs);
  }
}
