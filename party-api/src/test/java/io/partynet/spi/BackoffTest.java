package io.partynet.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.spi.Backoff.Jitter;
import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Property
  void fullJitterStaysUnderAnExponentialCeilingCappedAtMax(@ForAll @IntRange(min = 0, max = 10_000) int attempt,
      @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double r,
      @ForAll @LongRange(min = 1, max = 10_000) long baseMillis) {
    Duration base = Duration.ofMillis(baseMillis);
    Duration max = Duration.ofMinutes(5);
    Backoff backoff = new Backoff(base, max.compareTo(base) < 0 ? base : max, Jitter.FULL, () -> r);
    Duration ceiling = backoff.ceiling(attempt);
    Duration delay = backoff.delay(attempt);
    assertTrue(!delay.isNegative() && delay.compareTo(ceiling) <= 0, delay + " <= " + ceiling);
    assertTrue(ceiling.compareTo(backoff.max()) <= 0);
    assertTrue(ceiling.compareTo(backoff.ceiling(Math.max(0, attempt - 1))) >= 0, "ceilings never shrink");
  }

  @Property
  void equalJitterStaysInTheUpperHalfOfTheCeiling(@ForAll @IntRange(min = 0, max = 80) int attempt,
      @ForAll long seed) {
    Backoff b = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(30), Jitter.EQUAL, new Random(seed)::nextDouble);
    long ceiling = b.ceiling(attempt).toMillis();
    long delay = b.delay(attempt).toMillis();
    assertTrue(delay >= ceiling / 2 && delay <= ceiling, delay + " not in [" + ceiling / 2 + ", " + ceiling + "]");
  }

  @Test
  void ceilingsDoubleUntilTheCap() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Jitter.FULL, () -> 0.5);
    assertEquals(Duration.ofSeconds(1), backoff.ceiling(0));
    assertEquals(Duration.ofSeconds(8), backoff.ceiling(3));
    assertEquals(Duration.ofSeconds(30), backoff.ceiling(5));
    assertEquals(Duration.ofSeconds(30), backoff.ceiling(500));
    assertEquals(Duration.ofSeconds(4), backoff.delay(3), "full jitter: r * ceiling");

    Backoff millis = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), Jitter.EQUAL, new Random(1)::nextDouble);
    assertEquals(100, millis.ceiling(0).toMillis());
    assertEquals(200, millis.ceiling(1).toMillis());
    assertEquals(400, millis.ceiling(2).toMillis());
    assertEquals(800, millis.ceiling(3).toMillis());
    assertEquals(1000, millis.ceiling(4).toMillis());
    assertEquals(1000, millis.ceiling(59).toMillis());
  }

  @Test
  void eachJitterDrawsItsOwnWayBelowTheCeiling() {
    Duration base = Duration.ofSeconds(1);
    Duration max = Duration.ofSeconds(30);
    assertEquals(Duration.ofSeconds(8), Backoff.withoutJitter(base, max).delay(3));
    assertEquals(Duration.ofSeconds(2), new Backoff(base, max, Jitter.FULL, () -> 0.25).delay(3));
    assertEquals(Duration.ofSeconds(7), new Backoff(base, max, Jitter.EQUAL, () -> 0.25).delay(3));
    assertEquals(Duration.ofSeconds(8), new Backoff(base, max, Jitter.EQUAL, () -> 0).delay(3));
  }

  @Test
  void jitterSpreadsClientsApart() {
    Set<Long> delays = new HashSet<>();
    for (int seed = 0; seed < 20; seed++) {
      delays.add(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), Jitter.EQUAL,
          new Random(seed * 0x9E3779B97F4A7C15L)::nextDouble).delay(3).toMillis());
    }
    assertTrue(delays.size() > 10, "twenty clients should not retry in lock-step: " + delays);
    assertNotEquals(1, delays.size());
  }

  @Test
  void badParametersAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), Jitter.FULL, () -> 0));
    assertThrows(IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), Jitter.FULL, () -> 0));
    assertThrows(IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), Jitter.EQUAL, () -> 0).delay(-1));
    assertThrows(IllegalStateException.class,
        () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), Jitter.FULL, () -> 1.0).delay(0));
  }
}
