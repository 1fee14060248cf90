package io.partynet.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partynet.ConnectionType;
import io.partynet.Endpoint;
import io.partynet.InviteCode;
import io.partynet.Key;
import io.partynet.NatType;
import io.partynet.PartyStatus;
import io.partynet.Peer;
import io.partynet.PeerStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StatusWatchTest {
  private static final Instant NOW = Instant.parse("2026-01-02T12:00:00Z");

  private static JsonNode status(ConnectionType bobsPath, Double bobsLatency, Instant bobLastSeen) {
    byte[] key = new byte[32];
    Peer alice = new Peer("host1", "alice", Key.fromBytes(key).toBase64(), "10.77.0.1", null, null,
        ConnectionType.NONE, NatType.FULL_CONE, NOW);
    key[0] = 1;
    Peer bob = new Peer("p2", "bob", Key.fromBytes(key).toBase64(), "10.77.0.2", Endpoint.parse("192.0.2.1:51820"),
        bobsLatency, bobsPath, NatType.SYMMETRIC, NOW);
    return StatusView.toJson(new PartyStatus(InviteCode.generate(new Random(1)), "lan", "host1", "host1",
        NatType.FULL_CONE, "embedded", "local", List.of(new PeerStatus(alice, true, NOW, null, 0, 0),
            new PeerStatus(bob, false, bobLastSeen, null, 10, 20)), NOW));
  }

  @Test
  void aTerminalFrameRedrawsInPlace() {
    String first = StatusWatch.frame(status(ConnectionType.DIRECT, 3.2, NOW), NOW, true);
    String next = StatusWatch.frame(status(ConnectionType.DIRECT, 3.2, NOW), NOW, false);
    assertTrue(first.startsWith("\u001b[2J\u001b[H"), "the first frame clears the screen");
    assertTrue(next.startsWith("\u001b[H") && !next.contains("\u001b[2J"), "later frames only move home: no flicker");
    assertTrue(next.endsWith("\u001b[J"), "what an older, longer frame left below is cleared");
    List<String> lines = next.substring(3).lines().toList();
    assertTrue(lines.stream().filter(l -> !l.equals("\u001b[J")).allMatch(l -> l.endsWith("\u001b[K")),
        "every line is cleared to its end: " + lines);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("bob ") && l.contains("DIRECT") && l.contains("3.2 ms")), next);
  }

  @Test
  void plainOutputPrintsATableOnlyWhenSomethingChanged() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StatusWatch watch = new StatusWatch(new PrintStream(bytes, true, StandardCharsets.UTF_8), false,
        Clock.fixed(NOW, ZoneOffset.UTC));
    watch.show(status(ConnectionType.NONE, null, NOW));
    watch.show(status(ConnectionType.NONE, null, NOW.plusSeconds(1))); // only "last seen" moved
    watch.show(status(ConnectionType.DIRECT, 3.0, NOW));                // the path appeared
    watch.show(status(ConnectionType.DIRECT, 4.0, NOW));                // latency within one 10 ms step
    watch.show(status(ConnectionType.DIRECT, 48.0, NOW));               // latency moved
    String output = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(3, output.lines().filter(l -> l.startsWith("-- ")).count(), output);
    assertFalse(output.contains("\u001b"), "no escape codes in plain output");
    assertTrue(output.lines().anyMatch(l -> l.startsWith("bob ") && l.contains("48.0 ms")), output);
  }

  @Test
  void theSignatureIgnoresCountersAndAges() {
    JsonNode a = status(ConnectionType.RELAY, 20.0, NOW);
    ObjectNode b = status(ConnectionType.RELAY, 21.0, NOW.plusSeconds(30)).deepCopy();
    ((ObjectNode) b.path("peers").get(1)).put("rxBytes", 999);
    assertEquals(StatusWatch.signature(a), StatusWatch.signature(b));
    assertNotEquals(StatusWatch.signature(a), StatusWatch.signature(status(ConnectionType.DIRECT, 20.0, NOW)));
  }
}
