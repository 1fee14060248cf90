package io.partynet.core.internal.connection;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with "full jitter": attempt n waits a uniformly random time in
 * [0, min(max, base * 2^n)], so that members who lost a link at the same moment do not retry in
 * lockstep. The random source is injected, so tests are deterministic.
 *
 * <p>Immutable and thread-safe when the random source is.
 */
public record Backoff(Duration base, Duration max, DoubleSupplier random) {

  public Backoff {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(max, "max");
    Objects.requireNonNull(random, "random");
    if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < base <= max: " + base + ", " + max);
    }
  }

  /** The ceiling for attempt {@code attempt} (0-based), before jitter. */
  public Duration ceiling(int attempt) {
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must be >= 0: " + attempt);
    }
    long baseNanos = base.toNanos();
    int shift = Math.min(attempt, 62 - (64 - Long.numberOfLeadingZeros(baseNanos)));
    long ceiling = shift < 0 ? Long.MAX_VALUE : baseNanos << shift;
    return Duration.ofNanos(Math.min(ceiling, max.toNanos()));
  }

  /** How long to wait before attempt {@code attempt} (0-based). */
  public Duration delay(int attempt) {
    double r = random.getAsDouble();
    if (!(r >= 0 && r < 1)) {
      throw new IllegalStateException("random source must return values in [0, 1): " + r);
    }
    return Duration.ofNanos((long) (ceiling(attempt).toNanos() * r));
  }
}
