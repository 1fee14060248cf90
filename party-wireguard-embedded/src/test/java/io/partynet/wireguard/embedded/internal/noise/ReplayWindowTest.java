package io.partynet.wireguard.embedded.internal.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The replay window against a naive model: a set of seen counters plus the window rule. */
class ReplayWindowTest {

  @Property(tries = 300)
  void behavesLikeTheNaiveModel(@ForAll @Size(max = 400) List<@LongRange(max = 6000) Long> counters) {
    ReplayWindow window = new ReplayWindow();
    Set<Long> seen = new HashSet<>();
    long highest = -1;
    for (long c : counters) {
      boolean expected = !seen.contains(c) && (highest < 0 || c > highest || highest - c < ReplayWindow.WINDOW_SIZE);
      assertEquals(expected, window.mayAccept(c), "mayAccept " + c);
      assertEquals(expected, window.accept(c), "accept " + c);
      if (expected) {
        seen.add(c);
        highest = Math.max(highest, c);
      }
    }
  }

  @Property(tries = 100)
  void everyCounterIsAcceptedOnceInOrder(@ForAll @LongRange(max = 1L << 40) long start) {
    ReplayWindow window = new ReplayWindow();
    for (long c = start; c < start + 3000; c++) {
      assertTrue(window.accept(c));
      assertFalse(window.accept(c));
    }
  }

  @Test
  void farBehindIsRefusedAndRejectLimitHolds() {
    ReplayWindow window = new ReplayWindow();
    assertTrue(window.accept(10_000));
    assertFalse(window.accept(10_000 - ReplayWindow.WINDOW_SIZE));
    assertTrue(window.accept(10_000 - ReplayWindow.WINDOW_SIZE + 1));
    assertFalse(window.accept(Timing.REJECT_AFTER_MESSAGES));
    assertTrue(window.accept(Timing.REJECT_AFTER_MESSAGES - 1));
  }

  @Test
  void tai64nOrdersByTime() {
    byte[] a = Tai64n.of(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    byte[] b = Tai64n.of(java.time.Instant.parse("2026-01-01T00:00:01Z"));
    assertTrue(Tai64n.isAfter(b, a));
    assertFalse(Tai64n.isAfter(a, b));
    assertFalse(Tai64n.isAfter(a, a.clone()));
    assertEquals(0x40, a[0] & 0xff);
  }
}
