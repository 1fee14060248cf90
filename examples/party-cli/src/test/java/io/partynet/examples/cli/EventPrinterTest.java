package io.partynet.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.DisbandReason;
import io.partynet.ConnectionType;
import io.partynet.Endpoint;
import io.partynet.InviteCode;
import io.partynet.Key;
import io.partynet.NatType;
import io.partynet.Party;
import io.partynet.Peer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A path is announced when it changes, once per change; the local member's own updates are not paths. */
class EventPrinterTest {
  private static final Instant NOW = Instant.parse("2026-01-02T12:00:00Z");

  private static Peer peer(String id, String name, String ip, ConnectionType path, Double latency) {
    byte[] key = new byte[32];
    key[0] = (byte) id.hashCode();
    return new Peer(id, name, Key.fromBytes(key).toBase64(), ip, Endpoint.parse("192.0.2.7:51820"), latency, path,
        NatType.FULL_CONE, NOW);
  }

  @Test
  void pathChangesAreAnnouncedOnceEach() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    AtomicInteger ends = new AtomicInteger();
    EventPrinter printer = new EventPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), ends::incrementAndGet);
    printer.started("me");
    Peer me = peer("me", "alice", "10.77.0.1", ConnectionType.NONE, null);
    Peer bob = peer("bob", "bob", "10.77.0.2", ConnectionType.NONE, null);
    Party party = Party.of(InviteCode.generate(new Random(3)), "lan", "me", List.of(me, bob), NOW);

    printer.entered(party, NatType.FULL_CONE);
    printer.onPeerUpdated(party, me.withConnectionType(ConnectionType.DIRECT));
    printer.onPeerUpdated(party, bob.withConnectionType(ConnectionType.DIRECT).withLatencyMs(4.0));
    printer.onPeerUpdated(party, bob.withConnectionType(ConnectionType.DIRECT).withLatencyMs(5.0));
    printer.onPeerUpdated(party, bob.withConnectionType(ConnectionType.RELAY).withLatencyMs(31.0));
    printer.onPeerUpdated(party, bob.withConnectionType(ConnectionType.NONE));
    printer.onPartyDisbanded(party.id(), DisbandReason.HOST_LEFT);

    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().map(l -> l.substring(9)).toList();
    assertEquals(List.of(
        "NAT type: FULL_CONE",
        "connecting to bob at 10.77.0.2\u2026",
        "= connected to bob: direct to 192.0.2.7:51820 (4.0 ms)",
        "= connected to bob: relayed through the TURN server (31.0 ms)",
        "! lost the path to bob; reconnecting",
        "party " + party.id() + " ended (host-left)"), lines);
    assertTrue(lines.stream().noneMatch(l -> l.contains("alice")), "the local member is not a path: " + lines);
    assertEquals(1, ends.get(), "the end of the party ends the member");
  }

  @Test
  void textFromTheServerOrOtherMembersCannotDriveTheTerminal() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    EventPrinter printer = new EventPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), () -> { });
    printer.started("me");
    Peer me = peer("me", "alice", "10.77.0.1", ConnectionType.NONE, null);
    Peer eve = peer("eve", "eve\u202egnp.exe", "10.77.0.3", ConnectionType.NONE, null);
    Party party = Party.of(InviteCode.generate(new Random(4)), "lan", "me", List.of(me, eve), NOW);

    printer.onPeerJoined(party, eve);
    printer.onControlPlaneChanged("remote", "server said \u001b]0;owned\u0007\u001b[2J");

    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("+ eve\\u202egnp.exe joined"), printed);
    assertTrue(printed.contains("server said \\x1b]0;owned\\x07\\x1b[2J"), printed);
    assertTrue(printed.chars().noneMatch(c -> c == 0x1b || c == 0x07 || c == 0x202e), printed);
  }
}
