package io.partynet.core.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Endpoint;
import io.partynet.Key;
import io.partynet.spi.PeerStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class PathUpgradeTest {
  private static final Key KEY = Key.fromBase64("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  private static final Endpoint FORWARDER = Endpoint.parse("127.0.0.1:45000");
  private static final Endpoint DIRECT = Endpoint.parse("198.51.100.2:51820");
  private static final UpgradeSettings SETTINGS = new UpgradeSettings(Duration.ofSeconds(5), Duration.ofSeconds(20),
      Duration.ofSeconds(4), Duration.ofSeconds(5));

  /** One observation: where WireGuard sends, how many bytes arrived since the last one, time passed. */
  record Observation(boolean direct, int received, int millisLater) {}

  private static PeerStats stats(boolean direct, long rx) {
    return new PeerStats(KEY, direct ? DIRECT : FORWARDER, Instant.EPOCH, rx, rx);
  }

  @Test
  void intervalsDoubleUpToTheCap() {
    assertEquals(List.of(5L, 10L, 20L, 20L), List.of(SETTINGS.interval(0).toSeconds(), SETTINGS.interval(1).toSeconds(),
        SETTINGS.interval(2).toSeconds(), SETTINGS.interval(30).toSeconds()));
  }

  @Test
  void nothingHappensWithoutARelayForwarderOrALinkOnTheRelay() {
    PathUpgrade upgrade = new PathUpgrade(SETTINGS);
    Instant t = Instant.EPOCH;
    for (int i = 0; i < 100; i++) {
      t = t.plusSeconds(1);
      assertEquals(PathUpgrade.Action.NONE, upgrade.observe(true, false, stats(false, i), null, t));
      assertEquals(PathUpgrade.Action.NONE, upgrade.observe(false, false, stats(false, i), FORWARDER, t));
    }
  }

  /**
   * Whatever WireGuard reports, an upgrade happens only when bytes arrived while WireGuard sent
   * to the direct candidate from one observation to the next (no relayed packet can do that: it
   * would have made WireGuard roam to the forwarder); a check never outlives its window by more
   * than one observation (that bounds what a failed check can lose); and after a failed check or a
   * fall back, the next check waits at least the first interval.
   */
  @Property
  void upgradesNeedDirectBytesAndChecksAreBounded(@ForAll("observations") List<Observation> observations) {
    PathUpgrade upgrade = new PathUpgrade(SETTINGS);
    Instant now = Instant.EPOCH;
    long rx = 0;
    boolean upgraded = false;
    Observation previous = null;
    Instant checkStart = null;
    Instant lastDirectStop = null;
    for (Observation o : observations) {
      now = now.plusMillis(o.millisLater());
      rx += o.received();
      PathUpgrade.Action action = upgrade.observe(!upgraded, upgraded, stats(o.direct(), rx), FORWARDER, now);
      switch (action) {
        case UPGRADED -> {
          assertTrue(previous != null && previous.direct() && o.direct() && o.received() > 0,
              "upgraded on " + previous + " then " + o);
          upgraded = true;
          checkStart = null;
        }
        case CHECK -> {
          Instant stop = lastDirectStop;
          Instant at = now;
          assertTrue(stop == null || !at.isBefore(stop.plus(SETTINGS.firstTry())),
              () -> "a check " + Duration.between(stop, at) + " after the last one ended");
          checkStart = now;
        }
        case REVERT, FALL_BACK -> {
          upgraded = false;
          checkStart = null;
          lastDirectStop = now;
        }
        case NONE, REPOINT -> { }
      }
      if (checkStart != null && action != PathUpgrade.Action.CHECK) {
        assertTrue(Duration.between(checkStart, now).compareTo(SETTINGS.checkWindow()) < 0,
            "a check still running " + Duration.between(checkStart, now) + " after it started");
      }
      // What WireGuard shows after the action: the caller pointed it at the forwarder or the candidate.
      previous = switch (action) {
        case REVERT, FALL_BACK -> new Observation(false, o.received(), o.millisLater());
        case CHECK, REPOINT -> new Observation(true, o.received(), o.millisLater());
        default -> o;
      };
    }
  }

  @Provide
  Arbitrary<List<Observation>> observations() {
    Arbitrary<Observation> one = Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(0, 0, 92, 148),
        Arbitraries.integers().between(0, 2500)).as(Observation::new);
    return one.list().ofMinSize(1).ofMaxSize(200);
  }
}
