package io.partynet.remote.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * Exponential backoff with "equal jitter": attempt n waits a random time in [d/2, d] where
 * d = min(max, initial * 2^(n-1)). The jitter keeps many clients that lost the same server from
 * coming back in lock-step; the lower half keeps the delay growing. Thread-safe (the random source
 * is only touched under this object's lock).
 */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private final Random random;

  public Backoff(Duration initial, Duration max, Random random) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max: " + initial + ", " + max);
    }
    this.initial = initial;
    this.max = max;
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The delay before retry number {@code attempt} (1 for the first retry). */
  public Duration delay(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt starts at 1: " + attempt);
    }
    long ceiling = ceilingMillis(attempt);
    long half = ceiling / 2;
    long jitter;
    synchronized (this) {
      jitter = half == 0 ? 0 : (long) (random.nextDouble() * (ceiling - half + 1));
    }
    return Duration.ofMillis(Math.min(ceiling, half + jitter));
  }

  /** The longest delay this backoff ever asks for. */
  public Duration max() {
    return max;
  }

  /** The upper bound of {@link #delay(int)} for {@code attempt}. */
  public long ceilingMillis(int attempt) {
    long ceiling = initial.toMillis();
    for (int i = 1; i < attempt && ceiling < max.toMillis(); i++) {
      ceiling *= 2;
    }
    return Math.min(ceiling, max.toMillis());
  }
}
