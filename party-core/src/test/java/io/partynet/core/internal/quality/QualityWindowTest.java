package io.partynet.core.internal.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.ConnectionType;
import io.partynet.LinkQuality;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The estimator's arithmetic: mean round trip, mean absolute successive difference, lost fraction, over the last N. */
class QualityWindowTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  /** An outcome: a round trip in ms, or null for a lost probe. */
  @Provide
  Arbitrary<List<Double>> outcomes() {
    return Arbitraries.doubles().between(0, 5000).injectNull(0.3).list().ofMinSize(0).ofMaxSize(200);
  }

  @Property(tries = 200)
  void theFiguresAreThoseOfTheLastWindowOutcomes(@ForAll("outcomes") List<Double> outcomes,
      @ForAll @IntRange(min = 2, max = 50) int capacity) {
    QualityWindow window = feed(new QualityWindow(capacity), outcomes);
    List<Double> last = outcomes.subList(Math.max(0, outcomes.size() - capacity), outcomes.size());
    LinkQuality q = window.quality(ConnectionType.DIRECT, NOW);

    assertEquals(last.size(), q.samples());
    List<Double> answered = last.stream().filter(r -> r != null).toList();
    double expectedLoss = last.isEmpty() ? 0 : (double) (last.size() - answered.size()) / last.size();
    assertEquals(expectedLoss, q.loss(), 1e-12);
    if (answered.isEmpty()) {
      assertNull(q.rttMs());
    } else {
      assertEquals(answered.stream().mapToDouble(Double::doubleValue).average().orElseThrow(), q.rttMs(), 1e-6);
    }
    if (answered.size() < 2) {
      assertNull(q.jitterMs());
    } else {
      double sum = 0;
      for (int i = 1; i < answered.size(); i++) {
        sum += Math.abs(answered.get(i) - answered.get(i - 1));
      }
      assertEquals(sum / (answered.size() - 1), q.jitterMs(), 1e-6);
    }
  }

  @Property(tries = 200)
  void theRoundTripLiesBetweenTheExtremesAndJitterIsAtMostTheirSpread(@ForAll("outcomes") List<Double> outcomes) {
    LinkQuality q = feed(new QualityWindow(1000), outcomes).quality(ConnectionType.RELAY, NOW);
    List<Double> answered = outcomes.stream().filter(r -> r != null).toList();
    if (answered.size() >= 2) {
      double min = answered.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
      double max = answered.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
      assertTrue(q.rttMs() >= min - 1e-9 && q.rttMs() <= max + 1e-9, q.toString());
      assertTrue(q.jitterMs() <= max - min + 1e-9, q.toString());
    }
  }

  @Property(tries = 200)
  void aConstantDelayShiftsTheRoundTripAndLeavesJitterAndLossAlone(@ForAll("outcomes") List<Double> outcomes,
      @ForAll @IntRange(min = 0, max = 1000) int delayMs) {
    LinkQuality plain = feed(new QualityWindow(20), outcomes).quality(ConnectionType.DIRECT, NOW);
    List<Double> delayed = new ArrayList<>();
    outcomes.forEach(r -> delayed.add(r == null ? null : r + delayMs));
    LinkQuality shifted = feed(new QualityWindow(20), delayed).quality(ConnectionType.DIRECT, NOW);

    assertEquals(plain.loss(), shifted.loss(), 1e-12);
    if (plain.rttMs() != null) {
      assertEquals(plain.rttMs() + delayMs, shifted.rttMs(), 1e-6);
    }
    if (plain.jitterMs() != null) {
      assertEquals(plain.jitterMs(), shifted.jitterMs(), 1e-6);
    }
  }

  @Property(tries = 200)
  void aSteadyLinkHasNoJitter(@ForAll @IntRange(min = 0, max = 10_000) int rttMs,
      @ForAll @Size(min = 2, max = 30) List<@IntRange(min = 0, max = 1) Integer> lostMarks) {
    QualityWindow window = new QualityWindow(64);
    window.answered(rttMs);
    window.answered(rttMs);
    lostMarks.forEach(lost -> {
      if (lost == 1) {
        window.lost();
      } else {
        window.answered(rttMs);
      }
    });
    LinkQuality q = window.quality(ConnectionType.DIRECT, NOW);
    assertEquals(0.0, q.jitterMs(), 1e-12);
    assertEquals(rttMs, q.rttMs(), 1e-9);
  }

  @Test
  void anEmptyWindowMeasuresNothingAndEverythingLostHasNoRoundTrip() {
    QualityWindow window = new QualityWindow(4);
    LinkQuality empty = window.quality(ConnectionType.NONE, NOW);
    assertEquals(0, empty.samples());
    assertEquals(false, empty.isMeasured());
    window.lost();
    window.lost();
    LinkQuality allLost = window.quality(ConnectionType.DIRECT, NOW);
    assertNull(allLost.rttMs());
    assertEquals(1.0, allLost.loss());
    assertEquals(100.0, allLost.lossPercent(), 1e-12);
  }

  private static QualityWindow feed(QualityWindow window, List<Double> outcomes) {
    for (Double rtt : outcomes) {
      if (rtt == null) {
        window.lost();
      } else {
        window.answered(rtt);
      }
    }
    return window;
  }
}
