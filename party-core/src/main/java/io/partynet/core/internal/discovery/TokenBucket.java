package io.partynet.core.internal.discovery;

import java.util.function.LongSupplier;

/**
 * A token bucket: holds at most {@code capacity} tokens, refilled at {@code perSecond}; each
 * datagram takes one. Time comes from an injectable nanosecond clock, so tests step it.
 *
 * <p>Thread-safe.
 */
public final class TokenBucket {
  private final double capacity;
  private final double perNano;
  private final LongSupplier nanoTime;
  private double tokens;
  private long last;

  public TokenBucket(int capacity, double perSecond, LongSupplier nanoTime) {
    if (capacity < 1 || !(perSecond > 0)) {
      throw new IllegalArgumentException("capacity >= 1 and a positive rate are required");
    }
    this.capacity = capacity;
    this.perNano = perSecond / 1e9;
    this.nanoTime = nanoTime;
    this.tokens = capacity;
    this.last = nanoTime.getAsLong();
  }

  /** Takes one token if there is one. */
  public synchronized boolean tryTake() {
    long now = nanoTime.getAsLong();
    long elapsed = now - last;
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + elapsed * perNano);
      last = now;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
