package io.partynet.core.internal.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partynet.spi.Signal;
import io.partynet.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EarlySignalsTest {
  private final ManualClock clock = ManualClock.startingAt("2026-12-05T12:00:00Z");
  private final EarlySignals early = new EarlySignals(clock);

  private static Signal from(String peer, String n) {
    return new Signal("party", peer, "me", "candidates", Map.of("n", n));
  }

  @Test
  void takesOnlyWhatIsDeliverableInArrivalOrderAndKeepsTheRest() {
    early.hold(from("alice", "1"));
    early.hold(from("bob", "2"));
    early.hold(from("alice", "3"));

    List<Signal> alice = early.take(s -> s.fromPeerId().equals("alice"));

    assertEquals(List.of(from("alice", "1"), from("alice", "3")), alice);
    assertEquals(1, early.size());
    assertEquals(List.of(from("bob", "2")), early.take(s -> true));
    assertEquals(List.of(), early.take(s -> true), "taken signals are gone");
  }

  @Test
  void dropsSignalsOlderThanTheMaximumAge() {
    early.hold(from("alice", "old"));
    clock.advance(EarlySignals.MAX_AGE.minusSeconds(1));
    early.hold(from("alice", "young"));
    clock.advance(Duration.ofSeconds(2));

    assertEquals(List.of(from("alice", "young")), early.take(s -> true));
  }

  @Test
  void holdsAtMostTheBoundDroppingTheOldest() {
    for (int i = 0; i < EarlySignals.MAX_HELD + 5; i++) {
      early.hold(from("alice", Integer.toString(i)));
    }

    List<Signal> kept = early.take(s -> true);

    assertEquals(EarlySignals.MAX_HELD, kept.size());
    assertEquals(from("alice", "5"), kept.get(0));
    assertEquals(from("alice", Integer.toString(EarlySignals.MAX_HELD + 4)), kept.get(kept.size() - 1));
  }
}
