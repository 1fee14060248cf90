package io.partynet.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partynet.LinkQuality;
import java.util.Locale;

/**
 * The link quality of one member in {@code party status}: a JSON object for machines, and for
 * people a five-step ping bar with the round trip, jitter and loss, e.g.
 * {@code [####.] 23.5 ms, jitter 1.2 ms, 0% loss}. Stateless and thread-safe.
 */
final class PingBar {
  /** Round trips (ms) at or under which the bar keeps 5, 4, 3 and 2 steps; anything slower gets 1. */
  private static final double[] STEP_LIMITS_MS = {40, 80, 150, 250};
  /** Loss at which the bar loses one step, and two. */
  private static final double NOTICEABLE_LOSS = 0.02;
  private static final double HEAVY_LOSS = 0.10;
  private static final int STEPS = 5;

  private PingBar() {}

  /**
   * {@code rttMs} and {@code jitterMs} in milliseconds (null until measured), {@code loss} as a
   * fraction 0..1, {@code samples} probes behind the figures, {@code path} when measured.
   */
  static ObjectNode toJson(LinkQuality q) {
    ObjectNode n = StatusView.MAPPER.createObjectNode();
    putMillis(n, "rttMs", q.rttMs());
    putMillis(n, "jitterMs", q.jitterMs());
    n.put("loss", q.loss());
    n.put("samples", q.samples());
    n.put("path", q.path().name());
    n.put("measuredAt", q.measuredAt().toString());
    return n;
  }

  /** The table cell of a peer in the status document: the bar with figures, or the bare latency. */
  static String cell(JsonNode peer) {
    JsonNode q = peer.path("linkQuality");
    if (!q.isObject() || q.path("samples").asInt() == 0) {
      return peer.path("latencyMs").isNumber() ? String.format(Locale.ROOT, "%.1f ms", peer.path("latencyMs").asDouble())
          : "-";
    }
    double loss = q.path("loss").asDouble();
    StringBuilder cell = new StringBuilder(barOf(peer));
    if (q.path("rttMs").isNumber()) {
      cell.append(String.format(Locale.ROOT, " %.1f ms", q.path("rttMs").asDouble()));
    } else {
      cell.append(" no answer");
    }
    if (q.path("jitterMs").isNumber()) {
      cell.append(String.format(Locale.ROOT, ", jitter %.1f ms", q.path("jitterMs").asDouble()));
    }
    cell.append(String.format(Locale.ROOT, ", %.0f%% loss", loss * 100));
    return cell.toString();
  }

  /** The bar of a peer in the status document, or an empty string while nothing is measured. */
  static String barOf(JsonNode peer) {
    JsonNode q = peer.path("linkQuality");
    if (!q.isObject() || q.path("samples").asInt() == 0) {
      return "";
    }
    return bar(q.path("rttMs").isNumber() ? q.path("rttMs").asDouble() : null, q.path("loss").asDouble());
  }

  /** {@code [#####]} for a fast clean link down to {@code [.....]} for one that answers nothing. */
  static String bar(Double rttMs, double loss) {
    int steps = steps(rttMs, loss);
    return "[" + "#".repeat(steps) + ".".repeat(STEPS - steps) + "]";
  }

  static int steps(Double rttMs, double loss) {
    if (rttMs == null) {
      return 0;
    }
    int steps = 1;
    for (int i = STEP_LIMITS_MS.length - 1; i >= 0; i--) {
      if (rttMs <= STEP_LIMITS_MS[i]) {
        steps = STEPS - i;
      }
    }
    if (loss >= HEAVY_LOSS) {
      steps -= 2;
    } else if (loss >= NOTICEABLE_LOSS) {
      steps -= 1;
    }
    return Math.max(1, steps);
  }

  private static void putMillis(ObjectNode n, String field, Double value) {
    if (value == null) {
      n.putNull(field);
    } else {
      n.put(field, value);
    }
  }
}
