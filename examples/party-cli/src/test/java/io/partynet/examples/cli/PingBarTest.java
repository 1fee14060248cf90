package io.partynet.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partynet.ConnectionType;
import io.partynet.LinkQuality;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

/** The ping bar of {@code party status}: steps by round trip and loss, the JSON document, the table cell. */
class PingBarTest {
  private static final Instant NOW = Instant.parse("2026-01-02T12:00:00Z");

  @Test
  void stepsFollowTheRoundTripAndLossTakesStepsAway() {
    assertEquals("[#####]", PingBar.bar(12.0, 0));
    assertEquals("[####.]", PingBar.bar(60.0, 0));
    assertEquals("[###..]", PingBar.bar(120.0, 0));
    assertEquals("[##...]", PingBar.bar(200.0, 0));
    assertEquals("[#....]", PingBar.bar(900.0, 0));
    assertEquals("[####.]", PingBar.bar(12.0, 0.05), "noticeable loss costs one step");
    assertEquals("[###..]", PingBar.bar(12.0, 0.25), "heavy loss costs two");
    assertEquals("[#....]", PingBar.bar(900.0, 0.5), "a link that answers keeps one step");
    assertEquals("[.....]", PingBar.bar(null, 1.0), "no answer at all: empty");
  }

  @Property(tries = 300)
  void aSlowerOrLossierLinkNeverGetsALongerBar(@ForAll @DoubleRange(min = 0, max = 2000) double rtt,
      @ForAll @DoubleRange(min = 0, max = 500) double worse, @ForAll @DoubleRange(min = 0, max = 1) double loss,
      @ForAll @DoubleRange(min = 0, max = 1) double moreLoss) {
    int steps = PingBar.steps(rtt, loss);
    assertTrue(PingBar.steps(rtt + worse, loss) <= steps);
    assertTrue(PingBar.steps(rtt, Math.min(1, loss + moreLoss)) <= steps);
    assertTrue(steps >= 1 && steps <= 5);
  }

  @Test
  void theCellShowsBarRoundTripJitterAndLossAndTheJsonTheRawFigures() {
    LinkQuality q = new LinkQuality(23.46, 1.23, 0.05, 20, ConnectionType.DIRECT, NOW);
    ObjectNode json = PingBar.toJson(q);
    assertEquals(23.46, json.path("rttMs").asDouble());
    assertEquals(1.23, json.path("jitterMs").asDouble());
    assertEquals(0.05, json.path("loss").asDouble());
    assertEquals(20, json.path("samples").asInt());
    assertEquals("DIRECT", json.path("path").asText());

    ObjectNode peer = StatusView.MAPPER.createObjectNode();
    peer.set("linkQuality", json);
    peer.put("latencyMs", 23.46);
    assertEquals("[####.] 23.5 ms, jitter 1.2 ms, 5% loss", PingBar.cell(peer));

    ObjectNode silent = StatusView.MAPPER.createObjectNode();
    silent.set("linkQuality", PingBar.toJson(new LinkQuality(null, null, 1.0, 20, ConnectionType.RELAY, NOW)));
    assertEquals("[.....] no answer, 100% loss", PingBar.cell(silent));

    ObjectNode unmeasured = StatusView.MAPPER.createObjectNode();
    unmeasured.set("linkQuality", PingBar.toJson(LinkQuality.unmeasured(ConnectionType.NONE, NOW)));
    unmeasured.putNull("latencyMs");
    assertEquals("-", PingBar.cell(unmeasured));
    assertEquals("", PingBar.barOf(unmeasured));
  }

  @Test
  void pingSummaryAndStatistics() {
    ObjectNode last = StatusView.MAPPER.createObjectNode();
    last.put("peer", "bob");
    last.put("virtualIp", "10.77.0.2");
    last.put("path", "DIRECT");
    JsonNode summary = PingCommand.summary(last, 4, List.of(10.0, 20.0, 30.0));
    assertEquals(3, summary.path("answered").asInt());
    assertEquals(0.25, summary.path("loss").asDouble());
    assertEquals(20.0, summary.path("avgMs").asDouble(), 1e-9);
    assertEquals("--- bob ping statistics ---\n4 probes sent, 3 answered, 25% loss; round trip min/avg/max = "
        + "10.0/20.0/30.0 ms\n", PingCommand.statistics("bob", 4, List.of(10.0, 20.0, 30.0)));
    assertEquals("--- bob ping statistics ---\n2 probes sent, 0 answered, 100% loss\n",
        PingCommand.statistics("bob", 2, List.of()));
  }
}
