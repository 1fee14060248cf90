package io.partynet.remote.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void ceilingDoublesFromInitialUpToMax() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), new Random(1));
    assertEquals(100, b.ceilingMillis(1));
    assertEquals(200, b.ceilingMillis(2));
    assertEquals(400, b.ceilingMillis(3));
    assertEquals(800, b.ceilingMillis(4));
    assertEquals(1000, b.ceilingMillis(5));
    assertEquals(1000, b.ceilingMillis(60));
  }

  @Property
  void delayStaysInTheUpperHalfOfTheCeiling(@ForAll @IntRange(min = 1, max = 80) int attempt, @ForAll long seed) {
    Backoff b = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(30), new Random(seed));
    long ceiling = b.ceilingMillis(attempt);
    long delay = b.delay(attempt).toMillis();
    assertTrue(delay >= ceiling / 2 && delay <= ceiling, delay + " not in [" + ceiling / 2 + ", " + ceiling + "]");
  }

  @Test
  void jitterSpreadsClientsApart() {
    Set<Long> delays = new HashSet<>();
    for (int seed = 0; seed < 20; seed++) {
      delays.add(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), new Random(seed * 0x9E3779B97F4A7C15L)).delay(4).toMillis());
    }
    assertTrue(delays.size() > 10, "twenty clients should not retry in lock-step: " + delays);
    assertNotEquals(1, delays.size());
  }

  @Test
  void rejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), new Random()));
    assertThrows(IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()));
    assertThrows(IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), new Random()).delay(0));
  }
}
