package io.partynet.wireguard.embedded.internal.stack.tcp;

/**
 * The retransmission timeout of RFC 6298: SRTT and RTTVAR from RTT samples (section 2, K = 4,
 * alpha = 1/8, beta = 1/4), an initial RTO of 1 s, exponential back-off on expiry (section 5.5)
 * and a ceiling. The floor is a setting: RFC 6298 section 2.4 says 1 s, Linux uses 200 ms, and a
 * LAN party's round trips are milliseconds. Not thread-safe (guarded by the connection).
 */
final class RetransmissionTimer {
  static final long INITIAL_RTO_NANOS = 1_000_000_000L;
  static final long MAX_RTO_NANOS = 60_000_000_000L;
  /** RFC 6298 section 2: the clock granularity G; our timer ticks every 10 ms. */
  private static final long GRANULARITY_NANOS = 10_000_000L;

  private final long minRtoNanos;
  private long srtt = -1;
  private long rttvar;
  private long rto = INITIAL_RTO_NANOS;
  private int backoffs;

  RetransmissionTimer(long minRtoNanos) {
    this.minRtoNanos = minRtoNanos;
  }

  /** Takes one round-trip sample (RFC 6298 sections 2.2-2.3); ends any back-off. */
  void sample(long rttNanos) {
    if (rttNanos < 0) {
      return;
    }
    if (srtt < 0) {
      srtt = rttNanos;
      rttvar = rttNanos / 2;
    } else {
      rttvar = (3 * rttvar + Math.abs(srtt - rttNanos)) / 4;
      srtt = (7 * srtt + rttNanos) / 8;
    }
    rto = Math.min(MAX_RTO_NANOS, Math.max(minRtoNanos, srtt + Math.max(GRANULARITY_NANOS, 4 * rttvar)));
    backoffs = 0;
  }

  /** The current timeout including back-off. */
  long rtoNanos() {
    long value = rto;
    for (int i = 0; i < backoffs && value < MAX_RTO_NANOS; i++) {
      value *= 2;
    }
    return Math.min(MAX_RTO_NANOS, value);
  }

  /** RFC 6298 section 5.5: the timer expired, double the timeout. */
  void backOff() {
    backoffs++;
  }

  int backoffs() {
    return backoffs;
  }

  /** Smoothed round-trip time, or -1 before the first sample. */
  long smoothedRttNanos() {
    return srtt;
  }
}
