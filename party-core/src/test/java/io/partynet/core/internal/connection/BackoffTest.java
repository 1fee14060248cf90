package io.partynet.core.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Property
  void delayStaysUnderAnExponentialCeilingCappedAtMax(@ForAll @IntRange(min = 0, max = 10_000) int attempt,
      @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double r,
      @ForAll @LongRange(min = 1, max = 10_000) long baseMillis) {
    Duration base = Duration.ofMillis(baseMillis);
    Duration max = Duration.ofMinutes(5);
    Backoff backoff = new Backoff(base, max.compareTo(base) < 0 ? base : max, () -> r);
    Duration ceiling = backoff.ceiling(attempt);
    Duration delay = backoff.delay(attempt);
    assertTrue(!delay.isNegative() && delay.compareTo(ceiling) <= 0, delay + " <= " + ceiling);
    assertTrue(ceiling.compareTo(backoff.max()) <= 0);
    assertTrue(ceiling.compareTo(backoff.ceiling(Math.max(0, attempt - 1))) >= 0, "ceilings never shrink");
  }

  @Test
  void ceilingsDoubleUntilTheCap() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.5);
    assertEquals(Duration.ofSeconds(1), backoff.ceiling(0));
    assertEquals(Duration.ofSeconds(8), backoff.ceiling(3));
    assertEquals(Duration.ofSeconds(30), backoff.ceiling(5));
    assertEquals(Duration.ofSeconds(30), backoff.ceiling(500));
    assertEquals(Duration.ofSeconds(4), backoff.delay(3), "full jitter: r * ceiling");
  }

  @Test
  void badParametersAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), () -> 0));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), () -> 0));
    assertThrows(IllegalStateException.class, () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), () -> 1.0).delay(0));
  }
}
