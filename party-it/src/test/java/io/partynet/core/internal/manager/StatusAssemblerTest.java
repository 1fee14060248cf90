package io.partynet.core.internal.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.partynet.ConnectionType;
import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.NatType;
import io.partynet.Party;
import io.partynet.PartyStatus;
import io.partynet.Peer;
import io.partynet.PeerStatus;
import io.partynet.spi.ControlPlane;
import io.partynet.spi.InterfaceConfig;
import io.partynet.spi.NatReport;
import io.partynet.spi.PeerStats;
import io.partynet.testing.FakeNetworkBackend;
import io.partynet.testing.ManagerHarness;
import io.partynet.testing.ManualClock;
import io.partynet.testing.TestPeers;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * status() puts together what each part knows; here without a connection layer (while resuming),
 * for a party that alice and bob joined on the real local control plane.
 */
class StatusAssemblerTest {
  @RegisterExtension
  final ManagerHarness members = ManagerHarness.on(new RealLocalPlane());

  @Test
  void selfFromTheLocalEndpointOthersFromWireGuardsCountersAndLastSeenFromPresence() throws Exception {
    ManualClock clock = members.clock();
    ControlPlane alicePlane = members.closeLater(members.planes().open(members.config("alice"), clock));
    ControlPlane bobPlane = members.closeLater(members.planes().open(members.config("bob"), clock));
    Peer host = TestPeers.peer("alice");
    Peer guest = TestPeers.peer("bob");
    alicePlane.start("alice", Key.fromBase64(host.publicKey())).get(5, TimeUnit.SECONDS);
    bobPlane.start("bob", Key.fromBase64(guest.publicKey())).get(5, TimeUnit.SECONDS);
    String partyId = alicePlane.createParty("lan", host).get(5, TimeUnit.SECONDS).partyId();
    Party party = bobPlane.joinParty(partyId, guest).get(5, TimeUnit.SECONDS).toParty();
    Instant joined = clock.instant();
    clock.advance(Duration.ofMinutes(1));

    FakeNetworkBackend backend = new FakeNetworkBackend("fake");
    DataPlane dataPlane = DataPlane.of("fake", () -> backend);
    Peer alice = party.peers().get("alice");
    dataPlane.up(new InterfaceConfig("pn-alice", Key.fromBytes(new byte[32]), 51820,
        new IpPrefix(alice.virtualIp(), 16), InterfaceConfig.DEFAULT_MTU));
    Endpoint mine = Endpoint.parse("203.0.113.1:51820");
    LocalEndpoint local = new LocalEndpoint(members.config("alice"),
        port -> CompletableFuture.completedFuture(new NatReport(NatType.FULL_CONE, mine, "test")), false);
    local.detect(false);
    Key bobKey = Key.fromBase64(party.peers().get("bob").publicKey());
    Endpoint bobSeen = Endpoint.parse("198.51.100.2:40000");
    Instant handshake = clock.instant().minusSeconds(3);
    backend.addPeer(DataPlane.peerConfig(party.peers().get("bob")));
    backend.setStats(new PeerStats(bobKey, bobSeen, handshake, 100, 200));
    Instant heardOfBob = clock.instant().minusSeconds(30);

    PartyStatus status = new StatusAssembler("alice", dataPlane, alicePlane::name, local, clock)
        .assemble(party, null, Map.of("bob", heardOfBob, "alice", joined));

    assertEquals("local", status.controlPlane());
    assertEquals("fake", status.network());
    assertEquals(NatType.FULL_CONE, status.myNatType());
    PeerStatus me = status.peers().stream().filter(PeerStatus::self).findFirst().orElseThrow();
    assertEquals(mine, me.peer().endpoint());
    assertEquals(NatType.FULL_CONE, me.peer().natType());
    assertEquals(joined, me.lastSeen(), "presence: alice was last heard of when she created the party");
    PeerStatus bob = status.peers().stream().filter(p -> !p.self()).findFirst().orElseThrow();
    assertEquals(bobSeen, bob.peer().endpoint(), "where WireGuard really sends");
    assertEquals(ConnectionType.NONE, bob.peer().connectionType(), "no connection layer yet");
    assertNull(bob.peer().latencyMs());
    assertEquals(handshake, bob.lastHandshake());
    assertEquals(heardOfBob, bob.lastSeen(), "presence, not the newer handshake: a tunnel may carry traffic "
        + "from a member the control plane no longer hears");
    assertEquals(100, bob.rxBytes());
    assertEquals(200, bob.txBytes());
    assertEquals(clock.instant(), status.takenAt());
  }

  @Test
  void withoutAHandshakeTheNewestSightingIsLastSeen() throws Exception {
    ManualClock clock = members.clock();
    ControlPlane alicePlane = members.closeLater(members.planes().open(members.config("alice"), clock));
    Peer host = TestPeers.peer("alice");
    alicePlane.start("alice", Key.fromBase64(host.publicKey())).get(5, TimeUnit.SECONDS);
    Party party = alicePlane.createParty("lan", host).get(5, TimeUnit.SECONDS).toParty();
    Peer bob = TestPeers.peer("bob").withVirtualIp("10.77.0.2");
    Party withBob = Party.of(party.id(), party.name(), party.hostId(),
        java.util.List.of(party.peers().get("alice"), bob), party.createdAt());
    clock.advance(Duration.ofMinutes(1));
    Instant heardOfBob = clock.instant().minusSeconds(30);
    LocalEndpoint local = new LocalEndpoint(members.config("alice"), null, true);
    local.detect(false);

    PartyStatus status = new StatusAssembler("alice", DataPlane.off(), alicePlane::name, local, clock)
        .assemble(withBob, null, Map.of("bob", heardOfBob));

    PeerStatus bobStatus = status.peers().stream().filter(p -> !p.self()).findFirst().orElseThrow();
    assertEquals(heardOfBob, bobStatus.lastSeen(), "a member the plane does not know: the local sighting");
    assertNull(bobStatus.lastHandshake());
    assertEquals(0, bobStatus.rxBytes());
  }
}
