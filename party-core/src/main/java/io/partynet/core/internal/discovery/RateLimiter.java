package io.partynet.core.internal.discovery;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One {@link TokenBucket} per member and port. The number of buckets is bounded: members are few,
 * ports come from the discovery scope, and past {@value #MAX_BUCKETS} the table starts afresh.
 *
 * <p>Thread-safe.
 */
public final class RateLimiter {
  static final int MAX_BUCKETS = 4096;
  private final int burst;
  private final double perSecond;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(int burst, double perSecond, LongSupplier nanoTime) {
    this.burst = burst;
    this.perSecond = perSecond;
    this.nanoTime = nanoTime;
  }

  /** True if {@code member} may send one more datagram to {@code port} now. */
  public boolean allow(String member, int port) {
    if (buckets.size() >= MAX_BUCKETS) {
      buckets.clear();
    }
    return buckets.computeIfAbsent(member + "|" + port, k -> new TokenBucket(burst, perSecond, nanoTime)).tryTake();
  }
}
