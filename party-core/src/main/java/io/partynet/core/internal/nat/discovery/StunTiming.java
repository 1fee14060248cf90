package io.partynet.core.internal.nat.discovery;

import java.time.Duration;
import java.util.Objects;

/**
 * Retransmission schedule of a STUN transaction over UDP (RFC 8489 section 6.2.1): the request is
 * sent {@code requests} times, the wait doubling from {@code initialRto}; after the last one the
 * client waits {@code lastWaitFactor} times the initial RTO before it gives up. Immutable and
 * thread-safe.
 */
public record StunTiming(Duration initialRto, int requests, int lastWaitFactor) {

  /** The RFC's defaults: RTO 500 ms, Rc 7, Rm 16 (39.5 s before a transaction fails). */
  public static final StunTiming RFC_DEFAULT = new StunTiming(Duration.ofMillis(500), 7, 16);

  /**
   * What detection uses: RTO 200 ms, 5 requests, Rm 8 (4.6 s). Behaviour tests expect silence as a
   * normal answer, so the RFC's 39.5 s per test would make detection unusably slow.
   */
  public static final StunTiming DETECTION = new StunTiming(Duration.ofMillis(200), 5, 8);

  public StunTiming {
    Objects.requireNonNull(initialRto, "initialRto");
    if (initialRto.isNegative() || initialRto.isZero() || initialRto.toMillis() > 10_000) {
      throw new IllegalArgumentException("initial RTO must be 1 ms..10 s: " + initialRto);
    }
    if (requests < 1 || requests > 10) {
      throw new IllegalArgumentException("requests must be 1..10: " + requests);
    }
    if (lastWaitFactor < 1 || lastWaitFactor > 64) {
      throw new IllegalArgumentException("last wait factor must be 1..64: " + lastWaitFactor);
    }
  }

  /** How long, in total, a transaction with no answer takes. */
  public Duration total() {
    long rto = initialRto.toMillis();
    long total = 0;
    for (int i = 0; i < requests - 1; i++) {
      total += rto << i;
    }
    return Duration.ofMillis(total + rto * lastWaitFactor);
  }

  /** How long to wait after sending request number {@code index} (0-based). */
  public Duration waitAfter(int index) {
    return index == requests - 1 ? initialRto.multipliedBy(lastWaitFactor) : initialRto.multipliedBy(1L << index);
  }
}
