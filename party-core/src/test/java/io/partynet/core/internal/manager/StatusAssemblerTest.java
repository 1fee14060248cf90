package io.partynet.core.internal.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.partynet.ConnectionType;
import io.partynet.Endpoint;
import io.partynet.InviteCode;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.NatType;
import io.partynet.Party;
import io.partynet.PartyStatus;
import io.partynet.PeerStatus;
import io.partynet.testing.FakeNetworkBackend;
import io.partynet.core.testing.InMemoryControlPlaneHub;
import io.partynet.testing.ManualClock;
import io.partynet.core.testing.TestMembers;
import io.partynet.testing.TestPeers;
import io.partynet.spi.InterfaceConfig;
import io.partynet.spi.NatReport;
import io.partynet.spi.PeerStats;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** status() puts together what each part knows; here without a connection layer (while resuming). */
class StatusAssemblerTest {
  private final ManualClock clock = ManualClock.startingAt("2026-01-02T00:00:00Z");
  private final InMemoryControlPlaneHub hub = new InMemoryControlPlaneHub(clock);
  private final InMemoryControlPlaneHub.Client plane = hub.client("remote");

  @AfterEach
  void close() {
    plane.close();
    hub.close();
  }

  @Test
  void selfFromTheLocalEndpointOthersFromWireGuardsCountersAndLastSeenFromPresence() throws Exception {
    FakeNetworkBackend backend = new FakeNetworkBackend("fake");
    DataPlane dataPlane = DataPlane.of("fake", () -> backend);
    dataPlane.up(new InterfaceConfig("pn-alice", Key.fromBytes(new byte[32]), 51820, IpPrefix.parse("10.77.0.1/16"),
        InterfaceConfig.DEFAULT_MTU));
    Endpoint mine = Endpoint.parse("203.0.113.1:51820");
    LocalEndpoint local = new LocalEndpoint(TestMembers.config("alice"),
        port -> CompletableFuture.completedFuture(new NatReport(NatType.FULL_CONE, mine, "test")), false);
    local.detect();
    Party party = Party.of(InviteCode.generate(new Random(7)), "lan", "alice", List.of(TestPeers.peer("alice").withVirtualIp("10.77.0.1"),
        TestPeers.peer("bob").withVirtualIp("10.77.0.2")), clock.instant());
    Key bobKey = Key.fromBase64(party.peers().get("bob").publicKey());
    Endpoint bobSeen = Endpoint.parse("198.51.100.2:40000");
    Instant handshake = clock.instant().minusSeconds(3);
    backend.addPeer(DataPlane.peerConfig(party.peers().get("bob")));
    backend.setStats(new PeerStats(bobKey, bobSeen, handshake, 100, 200));
    Instant heardOfBob = clock.instant().minusSeconds(30);

    PartyStatus status = new StatusAssembler("alice", dataPlane, plane.name(), local, clock)
        .assemble(party, null, Map.of("bob", heardOfBob, "alice", clock.instant()));

    assertEquals("remote", status.controlPlane());
    assertEquals("fake", status.network());
    assertEquals(NatType.FULL_CONE, status.myNatType());
    PeerStatus me = status.peers().stream().filter(PeerStatus::self).findFirst().orElseThrow();
    assertEquals(mine, me.peer().endpoint());
    assertEquals(NatType.FULL_CONE, me.peer().natType());
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
}
