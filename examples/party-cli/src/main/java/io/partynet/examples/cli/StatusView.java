package io.partynet.examples.cli;

import static io.partynet.examples.cli.TerminalText.safe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partynet.DiscoveryStats;
import io.partynet.PartyStatus;
import io.partynet.Peer;
import io.partynet.PeerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The two faces of {@code party status}: a stable JSON document for machines (what the running
 * member sends over its control socket) and a table for people rendered from that JSON.
 * Stateless and thread-safe.
 */
final class StatusView {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String[] HEADER = {"PEER", "VIRTUAL IP", "NAT TYPE", "CONNECTION", "TRIED", "PING", "LAST SEEN"};

  private StatusView() {}

  static ObjectNode toJson(PartyStatus status) {
    return toJson(status, Optional.empty());
  }

  /** The status document; with {@code discovery}, a {@code discovery} object holds the LAN discovery counters. */
  static ObjectNode toJson(PartyStatus status, Optional<DiscoveryStats> discovery) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("partyId", status.partyId());
    root.put("partyName", status.partyName());
    root.put("hostId", status.hostId());
    root.put("myPeerId", status.myPeerId());
    root.put("myNatType", String.valueOf(status.myNatType()));
    root.put("network", status.network());
    root.put("controlPlane", status.controlPlane());
    root.put("takenAt", status.takenAt().toString());
    ArrayNode peers = root.putArray("peers");
    for (PeerStatus s : status.peers()) {
      Peer p = s.peer();
      ObjectNode n = peers.addObject();
      n.put("id", p.id());
      n.put("name", p.name());
      n.put("self", s.self());
      n.put("host", p.id().equals(status.hostId()));
      n.put("virtualIp", p.virtualIp());
      n.put("natType", p.natType().name());
      n.put("connectionType", p.connectionType().name());
      n.put("path", s.path().name().toLowerCase(Locale.ROOT));
      ArrayNode tried = n.putArray("candidates");
      s.candidates().forEach(c -> tried.addObject().put("path", c.path().name().toLowerCase(Locale.ROOT))
          .put("endpoint", c.endpoint() == null ? null : c.endpoint().toString()));
      if (p.latencyMs() == null) {
        n.putNull("latencyMs");
      } else {
        n.put("latencyMs", p.latencyMs());
      }
      n.put("endpoint", p.endpoint() == null ? null : p.endpoint().toString());
      n.put("lastSeen", s.lastSeen() == null ? null : s.lastSeen().toString());
      n.put("lastHandshake", s.lastHandshake() == null ? null : s.lastHandshake().toString());
      n.put("rxBytes", s.rxBytes());
      n.put("txBytes", s.txBytes());
      if (s.linkQuality() == null) {
        n.putNull("linkQuality");
      } else {
        n.set("linkQuality", PingBar.toJson(s.linkQuality()));
      }
    }
    discovery.ifPresent(d -> {
      ObjectNode n = root.putObject("discovery");
      n.put("mode", d.mode());
      n.put("relayed", d.relayed());
      n.put("delivered", d.delivered());
      n.put("dropped", d.dropped());
      n.put("rateLimited", d.rateLimited());
      n.put("captureOverflows", d.captureOverflows());
      ObjectNode ports = n.putObject("portsSeen");
      d.portsSeenSorted().forEach((port, count) -> ports.put(Integer.toString(port), count));
    });
    return root;
  }

  /** A fixed-width table of {@link #toJson}'s document, as of {@code now}. */
  static String table(JsonNode status, Instant now) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (JsonNode p : status.path("peers")) {
      String who = safe(p.path("name").asText()) + (p.path("self").asBoolean() ? " (you)" : "")
          + (p.path("host").asBoolean() ? " (host)" : "");
      rows.add(new String[] {
          who,
          safe(p.path("virtualIp").asText("-")),
          safe(p.path("natType").asText()),
          p.path("self").asBoolean() ? "-" : safe(connection(p)),
          p.path("self").asBoolean() ? "-" : safe(tried(p)),
          p.path("self").asBoolean() ? "-" : PingBar.cell(p),
          ago(p.path("lastSeen").isTextual() ? Instant.parse(p.path("lastSeen").asText()) : null, now)});
    }
    int[] widths = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("Party ").append(safe(status.path("partyId").asText())).append(" '").append(safe(status.path("partyName").asText()))
        .append("'  network: ").append(safe(status.path("network").asText()))
        .append("  control plane: ").append(safe(status.path("controlPlane").asText())).append('\n');
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        out.append(i == row.length - 1 ? row[i] : pad(row[i], widths[i] + 2));
      }
      out.append('\n');
    }
    for (JsonNode mapping : status.path("exposes")) {
      out.append(describe(mapping)).append('\n');
    }
    for (JsonNode mapping : status.path("forwards")) {
      out.append(describe(mapping)).append('\n');
    }
    for (JsonNode mapping : status.path("socks")) {
      out.append(describe(mapping)).append('\n');
    }
    JsonNode discovery = status.path("discovery");
    if (discovery.isObject()) {
      out.append("LAN discovery: ").append(safe(discovery.path("mode").asText()));
      if (!"off".equals(discovery.path("mode").asText())) {
        List<String> ports = new ArrayList<>();
        discovery.path("portsSeen").fields().forEachRemaining(e -> ports.add(e.getKey() + " (" + e.getValue().asLong()
            + ")"));
        out.append("  relayed ").append(discovery.path("relayed").asLong())
            .append("  delivered ").append(discovery.path("delivered").asLong())
            .append("  dropped ").append(discovery.path("dropped").asLong())
            .append("  rate-limited ").append(discovery.path("rateLimited").asLong())
            .append("  capture overflows ").append(discovery.path("captureOverflows").asLong())
            .append("  ports seen: ").append(ports.isEmpty() ? "none yet" : safe(String.join(", ", ports)));
      }
      out.append('\n');
    }
    return out.toString();
  }

  /**
   * One line for an expose ({@code virtualPort} present) or a forward of the status document, e.g.
   * {@code expose tcp 10.77.0.1:25565 -> 127.0.0.1:25565  2 connection(s)}.
   */
  static String describe(JsonNode mapping) {
    String protocol = mapping.path("protocol").asText();
    String count = "  " + mapping.path("activeConnections").asInt() + " connection(s)";
    if (mapping.has("socks")) {
      return "socks5 proxy " + mapping.path("socks").asText() + " -> the party network" + count;
    }
    if (mapping.has("virtualPort")) {
      return "expose " + protocol + " " + mapping.path("virtualIp").asText() + ":" + mapping.path("virtualPort").asInt()
          + " -> " + mapping.path("target").asText()
          + (mapping.path("passthrough").asBoolean()
              ? "  passthrough (the server listens on all addresses: the system delivers it directly)" : count);
    }
    return "forward " + protocol + " " + mapping.path("localAddress").asText() + " -> "
        + mapping.path("virtualIp").asText() + ":" + mapping.path("port").asInt() + count;
  }

  /** The connection type, with the path when it says more: "DIRECT (lan)", "DIRECT (ipv6)". */
  /** The kinds of path tried, best first ("lan, direct, relay"); "-" when there is no plan. */
  private static String tried(JsonNode peer) {
    List<String> kinds = new ArrayList<>();
    peer.path("candidates").forEach(c -> kinds.add(c.path("path").asText()));
    return kinds.isEmpty() ? "-" : String.join(", ", kinds);
  }

  private static String connection(JsonNode peer) {
    String type = peer.path("connectionType").asText();
    String path = peer.path("path").asText("");
    return path.equals("lan") || path.equals("ipv6") ? type + " (" + path + ")" : type;
  }

  static String ago(Instant then, Instant now) {
    if (then == null) {
      return "-";
    }
    long seconds = Math.max(0, Duration.between(then, now).getSeconds());
    if (seconds < 2) {
      return "just now";
    }
    if (seconds < 120) {
      return seconds + "s ago";
    }
    if (seconds < 7200) {
      return seconds / 60 + "m ago";
    }
    return seconds / 3600 + "h ago";
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }
}
