package io.partynet.core.internal.quality;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.ConnectionType;
import io.partynet.LinkQuality;
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

/** When a link-quality change is worth an event: thresholds, the rate limit, and path changes. */
class ChangeFilterTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration INTERVAL = Duration.ofSeconds(2);

  /** A reading some milliseconds after the previous one. */
  record Step(long afterMs, Double rttMs, Double jitterMs, double loss, ConnectionType path) {}

  @Provide
  Arbitrary<List<Step>> readings() {
    Arbitrary<Step> step = Combinators.combine(Arbitraries.longs().between(0, 3000),
        Arbitraries.doubles().between(0, 400).injectNull(0.1), Arbitraries.doubles().between(0, 50).injectNull(0.1),
        Arbitraries.doubles().between(0, 1), Arbitraries.of(ConnectionType.class)).as(Step::new);
    return step.list().ofMaxSize(60);
  }

  @Property(tries = 200)
  void reportsWithoutPathChangeAreAtLeastTheIntervalApart(@ForAll("readings") List<Step> steps) {
    ChangeFilter filter = new ChangeFilter(INTERVAL);
    Instant at = T0;
    LinkQuality last = null;
    for (Step s : steps) {
      at = at.plusMillis(s.afterMs());
      LinkQuality q = new LinkQuality(s.rttMs(), s.jitterMs(), s.loss(), 10, s.path(), at);
      if (filter.offer(q)) {
        if (last != null && last.path() == q.path()) {
          assertFalse(q.measuredAt().isBefore(last.measuredAt().plus(INTERVAL)),
              "two reports within the interval on one path: " + last + " then " + q);
        }
        last = q;
      }
    }
  }

  @Property(tries = 200)
  void changesBelowEveryThresholdAreNeverReported(@ForAll("readings") List<Step> steps) {
    ChangeFilter filter = new ChangeFilter(Duration.ZERO);
    LinkQuality first = new LinkQuality(100.0, 10.0, 0.1, 20, ConnectionType.DIRECT, T0);
    assertTrue(filter.offer(first), "the first measurement is reported");
    Instant at = T0;
    for (Step s : steps) {
      at = at.plusMillis(s.afterMs() + 1);
      // Within 4 ms and 15 % of the round trip, 4 ms of jitter, 4 points of loss: nothing to tell.
      double rtt = 100 + (s.loss() - 0.5) * 8;
      double jitter = 10 + (s.loss() - 0.5) * 8;
      double loss = 0.1 + (s.loss() - 0.5) * 0.08;
      assertFalse(filter.offer(new LinkQuality(rtt, jitter, loss, 20, ConnectionType.DIRECT, at)));
    }
  }

  @Test
  void firstMeasurementPathChangesAndBigMovesAreReported() {
    ChangeFilter filter = new ChangeFilter(INTERVAL);
    assertFalse(filter.offer(LinkQuality.unmeasured(ConnectionType.NONE, T0)), "nothing measured, nothing to tell");
    assertTrue(filter.offer(new LinkQuality(20.0, 1.0, 0, 4, ConnectionType.DIRECT, T0.plusMillis(500))));
    assertTrue(filter.offer(new LinkQuality(20.0, 1.0, 0, 5, ConnectionType.RELAY, T0.plusMillis(600))),
        "a path change is told at once");
    assertFalse(filter.offer(new LinkQuality(90.0, 1.0, 0, 6, ConnectionType.RELAY, T0.plusMillis(1000))),
        "a big move inside the interval waits");
    assertTrue(filter.offer(new LinkQuality(90.0, 1.0, 0, 9, ConnectionType.RELAY, T0.plusMillis(2600))),
        "and is told once the interval passed");
    assertTrue(filter.offer(new LinkQuality(90.0, 1.0, 0.3, 12, ConnectionType.RELAY, T0.plusMillis(4600))),
        "30 % loss appearing is told");
    assertTrue(filter.offer(new LinkQuality(null, null, 1.0, 12, ConnectionType.RELAY, T0.plusMillis(6600))),
        "every probe lost (no round trip any more) is told");
  }

  @Test
  void thresholdsNeedBothTheAbsoluteAndTheRelativeStep() {
    assertFalse(ChangeFilter.moved(200.0, 210.0, 5, 0.2), "10 ms on 200 ms is under 20 %");
    assertFalse(ChangeFilter.moved(2.0, 5.0, 5, 0.2), "3 ms is under 5 ms even though it is 150 %");
    assertTrue(ChangeFilter.moved(20.0, 30.0, 5, 0.2));
    assertTrue(ChangeFilter.moved(null, 3.0, 5, 0.2));
    assertFalse(ChangeFilter.moved(null, null, 5, 0.2));
  }
}
