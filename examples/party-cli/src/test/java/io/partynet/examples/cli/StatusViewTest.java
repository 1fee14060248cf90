package io.partynet.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.partynet.ConnectionType;
import io.partynet.DiscoveryStats;
import io.partynet.Endpoint;
import io.partynet.InviteCode;
import io.partynet.Key;
import io.partynet.NatType;
import io.partynet.PartyStatus;
import io.partynet.PathCandidate;
import io.partynet.PathType;
import io.partynet.Peer;
import io.partynet.PeerStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StatusViewTest {
  private static final Instant NOW = Instant.parse("2026-01-02T12:00:00Z");

  private static Peer peer(String id, String name, String ip, NatType nat, ConnectionType type, Double latency) {
    byte[] key = new byte[32];
    key[0] = (byte) id.hashCode();
    return new Peer(id, name, Key.fromBytes(key).toBase64(), ip, Endpoint.parse("192.0.2.1:51820"), latency, type,
        nat, NOW.minusSeconds(600));
  }

  private static PartyStatus status() {
    return new PartyStatus(InviteCode.generate(new Random(1)), "lan", "host1", "host1", NatType.FULL_CONE, "off",
        "local", List.of(
            new PeerStatus(peer("host1", "alice", "10.77.0.1", NatType.FULL_CONE, ConnectionType.NONE, null), true,
                NOW, null, 0, 0),
            new PeerStatus(peer("p2", "bob", "10.77.0.2", NatType.SYMMETRIC, ConnectionType.RELAY, 23.456), false,
                NOW.minusSeconds(42), NOW.minusSeconds(30), 100, 200)),
        NOW);
  }

  @Test
  void jsonCarriesEveryColumnAndTheRawCounters() {
    JsonNode json = StatusView.toJson(status());
    assertEquals("off", json.path("network").asText());
    JsonNode bob = json.path("peers").get(1);
    assertEquals("bob", bob.path("name").asText());
    assertEquals("10.77.0.2", bob.path("virtualIp").asText());
    assertEquals("SYMMETRIC", bob.path("natType").asText());
    assertEquals("RELAY", bob.path("connectionType").asText());
    assertEquals(23.456, bob.path("latencyMs").asDouble());
    assertEquals(NOW.minusSeconds(42).toString(), bob.path("lastSeen").asText());
    assertEquals(200, bob.path("txBytes").asLong());
    assertTrue(json.path("peers").get(0).path("self").asBoolean());
    assertTrue(json.path("peers").get(0).path("latencyMs").isNull());
  }

  @Test
  void linkQualityIsInTheJsonAndAsAPingBarInTheTable() {
    Peer carol = peer("p3", "carol", "10.77.0.3", NatType.FULL_CONE, ConnectionType.DIRECT, 31.0);
    PartyStatus status = new PartyStatus(InviteCode.generate(new Random(2)), "lan", "host1", "host1",
        NatType.FULL_CONE, "embedded", "local", List.of(new PeerStatus(carol, false, NOW, NOW, 1, 2, PathType.DIRECT,
            new io.partynet.LinkQuality(31.0, 2.5, 0.1, 40, ConnectionType.DIRECT, NOW))), NOW);
    JsonNode json = StatusView.toJson(status);
    JsonNode q = json.path("peers").get(0).path("linkQuality");
    assertEquals(31.0, q.path("rttMs").asDouble());
    assertEquals(2.5, q.path("jitterMs").asDouble());
    assertEquals(0.1, q.path("loss").asDouble());
    assertEquals(40, q.path("samples").asInt());
    String table = StatusView.table(json, NOW);
    assertTrue(table.lines().anyMatch(l -> l.startsWith("carol") && l.contains("[###..] 31.0 ms, jitter 2.5 ms, 10% loss")),
        table);
    assertTrue(StatusView.toJson(status()).path("peers").get(1).path("linkQuality").isNull(),
        "no measurement: null, not an empty object");
  }

  @Test
  void theTableHasOneAlignedRowPerPeer() {
    String table = StatusView.table(StatusView.toJson(status()), NOW);
    List<String> lines = table.lines().toList();
    assertEquals(4, lines.size(), table);
    assertTrue(lines.get(0).contains("network: off"), table);
    assertTrue(lines.get(1).startsWith("PEER"), table);
    assertTrue(lines.get(2).startsWith("alice (you) (host)"), table);
    assertTrue(lines.get(3).matches("bob\\s+10\\.77\\.0\\.2\\s+SYMMETRIC\\s+RELAY\\s+-\\s+23\\.5 ms\\s+42s ago"), table);
    assertEquals(lines.get(1).indexOf("VIRTUAL IP"), lines.get(3).indexOf("10.77.0.2"), "columns align");
  }

  @Test
  void thePathPerPeerIsInTheJsonAndALanPathShowsInTheTable() {
    PartyStatus lan = new PartyStatus(InviteCode.generate(new Random(2)), "lan", "host1", "host1", NatType.FULL_CONE,
        "uapi", "remote", List.of(
            new PeerStatus(peer("p3", "carol", "10.77.0.3", NatType.PORT_RESTRICTED_CONE, ConnectionType.DIRECT, 0.4),
                false, NOW, NOW, 1, 1, PathType.LAN, null)), NOW);
    JsonNode json = StatusView.toJson(lan);
    assertEquals("lan", json.path("peers").get(0).path("path").asText());
    assertEquals("relay", StatusView.toJson(status()).path("peers").get(1).path("path").asText(),
        "implied by the connection type when nothing finer is known");
    assertTrue(StatusView.table(json, NOW).contains("DIRECT (lan)"), StatusView.table(json, NOW));
  }

  @Test
  void theCandidatesTriedAreInTheJsonWithTheirEndpointsAndTheirKindsInTheTable() {
    Peer dave = peer("p4", "dave", "10.77.0.4", NatType.PORT_RESTRICTED_CONE, ConnectionType.RELAY, 12.0);
    List<PathCandidate> tried = List.of(new PathCandidate(PathType.LAN, Endpoint.parse("192.168.1.20:51820")),
        new PathCandidate(PathType.DIRECT, Endpoint.parse("203.0.113.7:40000")), new PathCandidate(PathType.RELAY, null));
    PartyStatus status = new PartyStatus(InviteCode.generate(new Random(3)), "lan", "host1", "host1", NatType.SYMMETRIC,
        "uapi", "remote", List.of(new PeerStatus(dave, false, NOW, NOW, 1, 1, PathType.RELAY, null, tried)), NOW);
    JsonNode json = StatusView.toJson(status);
    JsonNode candidates = json.path("peers").get(0).path("candidates");
    assertEquals(3, candidates.size(), json.toPrettyString());
    assertEquals("lan", candidates.get(0).path("path").asText());
    assertEquals("192.168.1.20:51820", candidates.get(0).path("endpoint").asText());
    assertEquals("direct", candidates.get(1).path("path").asText());
    assertEquals("relay", candidates.get(2).path("path").asText());
    assertTrue(candidates.get(2).path("endpoint").isNull(), "the relay's address is the TURN server's business");
    String table = StatusView.table(json, NOW);
    assertTrue(table.lines().anyMatch(l -> l.startsWith("dave") && l.contains("RELAY") && l.contains("lan, direct, relay")),
        table);
    assertEquals("lan 192.168.1.20:51820", tried.get(0).toString());
  }

  @Test
  void discoveryCountersAppearInTheJsonAndAsOneTableLine() {
    DiscoveryStats stats = new DiscoveryStats("linux-raw", 3, 12, 1, 2, 5, Map.of(27015, 6L, 4445, 9L));
    JsonNode json = StatusView.toJson(status(), Optional.of(stats));
    JsonNode d = json.path("discovery");
    assertEquals("linux-raw", d.path("mode").asText());
    assertEquals(3, d.path("relayed").asLong());
    assertEquals(12, d.path("delivered").asLong());
    assertEquals(1, d.path("dropped").asLong());
    assertEquals(2, d.path("rateLimited").asLong());
    assertEquals(5, d.path("captureOverflows").asLong());
    assertEquals(9, d.path("portsSeen").path("4445").asLong());
    List<String> lines = StatusView.table(json, NOW).lines().toList();
    assertEquals("LAN discovery: linux-raw  relayed 3  delivered 12  dropped 1  rate-limited 2  capture overflows 5  "
        + "ports seen: 4445 (9), 27015 (6)", lines.get(lines.size() - 1));
    assertEquals("LAN discovery: off", StatusView.table(StatusView.toJson(status(), Optional.of(DiscoveryStats.off())),
        NOW).lines().reduce((a, b) -> b).orElseThrow());
    assertTrue(StatusView.toJson(status()).path("discovery").isMissingNode(), "no relay, no discovery object");
  }

  @Test
  void lastSeenReadsNaturally() {
    assertEquals("-", StatusView.ago(null, NOW));
    assertEquals("just now", StatusView.ago(NOW.minusMillis(500), NOW));
    assertEquals("90s ago", StatusView.ago(NOW.minusSeconds(90), NOW));
    assertEquals("5m ago", StatusView.ago(NOW.minusSeconds(300), NOW));
    assertEquals("3h ago", StatusView.ago(NOW.minusSeconds(3 * 3600 + 5), NOW));
  }
}
