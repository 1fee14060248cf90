package io.partynet.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff for retries and reconnects: before retry {@code n} (0 for the first) the
 * ceiling is {@code min(max, base * 2^n)}, and the delay is that ceiling with a {@link Jitter}
 * applied, so that members who failed at the same moment do not retry in lock-step. The random
 * source is injected, so tests are deterministic. The SDK's links, control-plane client and state
 * file all retry with this; implementations of the SPI may too.
 *
 * <p>Immutable and thread-safe when the random source is.
 */
public final class Backoff {

  /** How the delay is drawn below the ceiling. Immutable and thread-safe. */
  public enum Jitter {
    /** Exactly the ceiling: for a single writer, where lock-step is no concern. */
    NONE,
    /** Uniform in [0, ceiling] ("full jitter"): spreads many members the most. */
    FULL,
    /** Uniform in [ceiling / 2, ceiling] ("equal jitter"): spread, yet the delay keeps growing. */
    EQUAL
  }

  private final Duration base;
  private final Duration max;
  private final Jitter jitter;
  private final DoubleSupplier random;

  /**
   * A backoff from {@code base} doubling up to {@code max}, with {@code jitter} drawn from
   * {@code random}.
   *
   * @param base the ceiling before the first retry (attempt 0); positive
   * @param max the largest ceiling, reached by doubling {@code base}; at least {@code base}
   * @param jitter how the delay is drawn below the ceiling
   * @param random values in [0, 1), such as {@code new SecureRandom()::nextDouble}
   * @throws NullPointerException when any argument is null
   * @throws IllegalArgumentException unless {@code 0 < base <= max}
   */
  public Backoff(Duration base, Duration max, Jitter jitter, DoubleSupplier random) {
    this.base = Objects.requireNonNull(base, "base");
    this.max = Objects.requireNonNull(max, "max");
    this.jitter = Objects.requireNonNull(jitter, "jitter");
    this.random = Objects.requireNonNull(random, "random");
    if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < base <= max: " + base + ", " + max);
    }
  }

  /**
   * Doubling from {@code base} up to {@code max}, without jitter.
   *
   * @param base the delay before the first retry (attempt 0); positive
   * @param max the longest delay; at least {@code base}
   * @return a backoff with {@link Jitter#NONE}, whose delays are exactly its ceilings
   * @throws NullPointerException when {@code base} or {@code max} is null
   * @throws IllegalArgumentException unless {@code 0 < base <= max}
   */
  public static Backoff withoutJitter(Duration base, Duration max) {
    return new Backoff(base, max, Jitter.NONE, () -> 0);
  }

  /**
   * The ceiling before the first retry, which later ceilings double.
   *
   * @return the base delay given at construction
   */
  public Duration base() {
    return base;
  }

  /**
   * The longest delay this backoff ever asks for.
   *
   * @return the largest ceiling given at construction
   */
  public Duration max() {
    return max;
  }

  /**
   * The ceiling for retry {@code attempt} (0-based), before jitter.
   *
   * @param attempt the retry's number, 0 for the first
   * @return {@code min(max, base * 2^attempt)}, without overflow for large attempts
   * @throws IllegalArgumentException when {@code attempt} is negative
   */
  public Duration ceiling(int attempt) {
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must be >= 0: " + attempt);
    }
    long baseNanos = base.toNanos();
    int shift = Math.min(attempt, 62 - (64 - Long.numberOfLeadingZeros(baseNanos)));
    long ceiling = shift < 0 ? Long.MAX_VALUE : baseNanos << shift;
    return Duration.ofNanos(Math.min(ceiling, max.toNanos()));
  }

  /**
   * How long to wait before retry {@code attempt} (0-based).
   *
   * @param attempt the retry's number, 0 for the first
   * @return the {@link #ceiling(int) ceiling} with this backoff's {@link Jitter} applied; never
   *     more than {@link #max()}
   * @throws IllegalArgumentException when {@code attempt} is negative
   * @throws IllegalStateException when the random source returns a value outside [0, 1)
   */
  public Duration delay(int attempt) {
    long ceiling = ceiling(attempt).toNanos();
    return switch (jitter) {
      case NONE -> Duration.ofNanos(ceiling);
      case FULL -> Duration.ofNanos((long) (ceiling * nextRandom()));
      case EQUAL -> Duration.ofNanos(ceiling - (long) (ceiling / 2 * nextRandom()));
    };
  }

  private double nextRandom() {
    double r = random.getAsDouble();
    if (!(r >= 0 && r < 1)) {
      throw new IllegalStateException("random source must return values in [0, 1): " + r);
    }
    return r;
  }

  @Override
  public String toString() {
    return "Backoff[" + base + ".." + max + ", " + jitter + " jitter]";
  }
}
