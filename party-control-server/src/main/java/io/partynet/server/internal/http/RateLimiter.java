package io.partynet.server.internal.http;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets by key (a peer id or a client address): each key may spend {@code burst} requests
 * at once and regains {@code perSecond} per second. The number of tracked keys is bounded: when it
 * is exceeded, buckets that are full again (idle keys) are forgotten. Time comes from an injectable
 * nanosecond clock. Thread-safe.
 */
public final class RateLimiter {
  private final double perSecond;
  private final double burst;
  private final LongSupplier nanos;
  private final int maxKeys;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(double perSecond, int burst, LongSupplier nanos, int maxKeys) {
    if (perSecond <= 0 || burst < 1 || maxKeys < 1) {
      throw new IllegalArgumentException("rate limit needs perSecond > 0, burst >= 1, maxKeys >= 1");
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanos = nanos;
    this.maxKeys = maxKeys;
  }

  /** Spends one request of {@code key}; false when its bucket is empty (answer 429). */
  boolean tryAcquire(String key) {
    long now = nanos.getAsLong();
    if (buckets.size() >= maxKeys && !buckets.containsKey(key)) {
      evictIdle(now);
    }
    Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
    synchronized (bucket) {
      bucket.refill(now, perSecond, burst);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return true;
      }
      return false;
    }
  }

  private void evictIdle(long now) {
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      Bucket b = it.next();
      synchronized (b) {
        b.refill(now, perSecond, burst);
        if (b.tokens >= burst) {
          it.remove();
        }
      }
    }
  }

  int trackedKeys() {
    return buckets.size();
  }

  private static final class Bucket {
    double tokens;
    long updatedNanos;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.updatedNanos = now;
    }

    void refill(long now, double perSecond, double burst) {
      long elapsed = now - updatedNanos;
      if (elapsed > 0) {
        tokens = Math.min(burst, tokens + elapsed / 1e9 * perSecond);
        updatedNanos = now;
      }
    }
  }
}
