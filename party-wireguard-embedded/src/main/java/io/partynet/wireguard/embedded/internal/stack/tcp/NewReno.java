package io.partynet.wireguard.embedded.internal.stack.tcp;

/**
 * Congestion control: slow start and congestion avoidance (RFC 5681 section 3.1, with appropriate
 * byte counting capped at one SMSS per ACK, RFC 3465), fast retransmit on the third duplicate ACK
 * and NewReno fast recovery with partial acknowledgements (RFC 6582 section 3.2), and the loss
 * window after a retransmission timeout (RFC 5681 section 3.1, equation 4), and the undoing of a
 * fast retransmit's reduction once it proved spurious. Not thread-safe.
 */
final class NewReno {
  static final int DUPLICATE_ACK_THRESHOLD = 3;

  private final int mss;
  private final int initialWindow;
  private int cwnd;
  private int ssthresh = Integer.MAX_VALUE;
  private int duplicateAcks;
  private boolean inRecovery;
  /** RFC 6582 "recover": the highest sequence number sent when recovery started. */
  private int recover;
  private int acknowledgedInAvoidance;
  /** RFC 4015's pipe_prev: max(FlightSize, ssthresh) just before the last fast retransmit reduced them. */
  private int pipeBeforeRecovery;

  private static final int MAX_WINDOW = 1 << 30;

  NewReno(int mss, int initialSequence) {
    this.mss = mss;
    this.recover = initialSequence;
    // RFC 5681 section 3.1 equation 1 (RFC 6928 allows 10 segments; we keep the RFC 5681 value)
    this.initialWindow = mss > 2190 ? 2 * mss : mss > 1095 ? 3 * mss : 4 * mss;
    this.cwnd = initialWindow;
  }

  int window() {
    return cwnd;
  }

  int slowStartThreshold() {
    return ssthresh;
  }

  boolean inRecovery() {
    return inRecovery;
  }

  /**
   * A duplicate ACK (RFC 5681 section 2 definition) arrived with {@code flight} bytes outstanding.
   *
   * @return true when the first unacknowledged segment must be retransmitted now (fast retransmit)
   */
  boolean onDuplicateAck(int flight, int highestSent) {
    duplicateAcks++;
    if (inRecovery) {
      cwnd = Math.min(MAX_WINDOW, cwnd + mss);
      return false;
    }
    if (duplicateAcks == DUPLICATE_ACK_THRESHOLD && Seq.gt(highestSent, recover)) {
      pipeBeforeRecovery = Math.max(flight, ssthresh);
      ssthresh = Math.max(flight / 2, 2 * mss);
      cwnd = ssthresh + DUPLICATE_ACK_THRESHOLD * mss;
      recover = highestSent;
      inRecovery = true;
      return true;
    }
    return false;
  }

  /**
   * An ACK acknowledged {@code acked} new bytes up to {@code ack}, leaving {@code flight} outstanding.
   *
   * @return true for a partial acknowledgement in recovery: retransmit the next unacknowledged segment
   */
  boolean onNewAck(int ack, int acked, int flight) {
    duplicateAcks = 0;
    if (inRecovery) {
      if (Seq.ge(ack, recover)) {
        inRecovery = false;
        cwnd = Math.min(ssthresh, Math.max(flight, 0) + mss);
        return false;
      }
      cwnd = Math.max(mss, cwnd - acked + (acked >= mss ? mss : 0));
      return true;
    }
    if (cwnd < ssthresh) {
      cwnd = Math.min(MAX_WINDOW, cwnd + Math.min(acked, mss));
    } else {
      acknowledgedInAvoidance += acked;
      if (acknowledgedInAvoidance >= cwnd) {
        acknowledgedInAvoidance -= cwnd;
        cwnd = Math.min(MAX_WINDOW, cwnd + mss);
      }
    }
    return false;
  }

  /**
   * The fast retransmit that started this recovery was spurious (the ACK that covers it echoes an
   * older timestamp than the retransmission carried, RFC 3522): leaves recovery and restores the
   * state as RFC 4015 section 3.2 does after a spurious timeout, ssthresh back to pipe_prev and
   * the window to what is in flight plus at most an initial window (no burst), from where slow
   * start regains the rest.
   *
   * @param flight bytes still outstanding after this ACK
   * @param acked bytes this ACK acknowledged
   */
  void undoSpuriousRecovery(int flight, int acked) {
    duplicateAcks = 0;
    acknowledgedInAvoidance = 0;
    inRecovery = false;
    ssthresh = pipeBeforeRecovery;
    cwnd = Math.min(MAX_WINDOW, Math.max(flight, 0) + Math.min(acked, initialWindow));
  }

  /** The retransmission timer expired with {@code flight} bytes outstanding. */
  void onTimeout(int flight, int highestSent) {
    ssthresh = Math.max(flight / 2, 2 * mss);
    cwnd = mss;
    duplicateAcks = 0;
    inRecovery = false;
    recover = highestSent;
    acknowledgedInAvoidance = 0;
  }
}
