package io.partynet.core.internal.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.ConnectionType;
import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.NatType;
import io.partynet.Party;
import io.partynet.PartyConfig;
import io.partynet.Peer;
import io.partynet.core.internal.connection.PartySignals;
import io.partynet.testing.Eventually;
import io.partynet.testing.FakeNetworkBackend;
import io.partynet.testing.ManagerHarness;
import io.partynet.testing.TestPeers;
import io.partynet.spi.Backoff;
import io.partynet.spi.ControlPlane;
import io.partynet.spi.ControlPlaneListener;
import io.partynet.spi.Signal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One party's connections: interface, paths, signals straight to the control plane, one narrow way
 * up. Alice and bob are members of a party on the real local control plane; the layer under test
 * is alice's.
 */
class ConnectionLayerTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  @RegisterExtension
  final ManagerHarness members = ManagerHarness.on(new RealLocalPlane());
  private ControlPlane alicePlane;
  private ControlPlane bobPlane;
  private final ManagerWorker worker = new ManagerWorker("test-worker", Duration.ofSeconds(10));
  private final FakeNetworkBackend backend = new FakeNetworkBackend("fake");
  private final List<Signal> toBob = new CopyOnWriteArrayList<>();
  private final List<String> upward = new CopyOnWriteArrayList<>();
  private final ConnectionLayer.Upward recorder = new ConnectionLayer.Upward() {
    @Override
    public void connectionChanged(String peerId, ConnectionType type) {
      upward.add("connection " + peerId + " " + type);
    }

    @Override
    public void endpointMoved(Endpoint endpoint) {
      upward.add("moved " + endpoint);
    }
  };
  private Party party;
  private Peer alice;
  private Peer bob;

  @BeforeEach
  void twoMembers() {
    alicePlane = members.closeLater(members.planes().open(members.config("alice"), members.clock()));
    bobPlane = members.closeLater(members.planes().open(members.config("bob"), members.clock()));
    Peer host = TestPeers.peer("alice", NatType.UNKNOWN);
    Peer guest = TestPeers.peer("bob", NatType.UNKNOWN).withEndpoint(Endpoint.parse("127.0.0.1:51821"));
    alicePlane.start("alice", Key.fromBase64(host.publicKey())).join();
    bobPlane.start("bob", Key.fromBase64(guest.publicKey())).join();
    String partyId = alicePlane.createParty("lan", host).join().partyId();
    party = bobPlane.joinParty(partyId, guest).join().toParty();
    alice = party.peers().get("alice");
    bob = party.peers().get("bob");
    bobPlane.addListener(new ControlPlaneListener() {
      @Override
      public void onSignal(Signal signal) {
        toBob.add(signal);
      }
    });
  }

  @AfterEach
  void closeWorker() {
    worker.close();
  }

  private ManagerParts parts(DataPlane dataPlane, LocalEndpoint local) {
    PartyConfig config = config();
    return new ManagerParts(config, dataPlane, alicePlane, worker, local, Key.fromBytes(new byte[32]),
        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Backoff.Jitter.FULL, () -> 0.5), members.clock());
  }

  private PartyConfig config() {
    return members.config("alice").toBuilder().listenPort(0).setting("network.advertise-address", "127.0.0.1")
        .build();
  }

  @Test
  void opensTheInterfaceCompletesTheEndpointAndConnectsTheOthers() throws Exception {
    LocalEndpoint local = new LocalEndpoint(config(), null, false);
    local.detect(false);
    ConnectionLayer layer = ConnectionLayer.open(parts(DataPlane.of("fake", () -> backend), local), recorder,
        party.id(), alice, 16, party.getPeerList(), () -> party);

    assertEquals(new IpPrefix(alice.virtualIp(), 16), backend.interfaceConfig().address());
    assertEquals(Endpoint.parse("127.0.0.1:40000"), local.endpoint(), "the advertise address with the real port");
    assertTrue(backend.peers().containsKey(Key.fromBase64(bob.publicKey())), "bob is a WireGuard peer");
    Eventually.until(WAIT, () -> toBob.stream().anyMatch(s -> s.type().equals(PartySignals.PUNCH)),
        () -> "the punch goes straight to the control plane; bob got " + toBob);

    layer.close(party.getPeerList());
    assertFalse(backend.isUp());
    assertTrue(backend.calls().contains("close"), "an instance made for the party is closed with it");
  }

  @Test
  void aRebindingObservedByAMemberMovesTheEndpointAndIsReportedUpOnce() throws Exception {
    LocalEndpoint local = new LocalEndpoint(config(), null, false);
    local.detect(false);
    ConnectionLayer layer = ConnectionLayer.open(parts(DataPlane.of("fake", () -> backend), local), recorder,
        party.id(), alice, 16, party.getPeerList(), () -> party);

    layer.onSignal(PartySignals.observedEndpoint(party.id(), "bob", "alice", Endpoint.parse("127.0.0.1:40001")));
    assertEquals(Endpoint.parse("127.0.0.1:40001"), local.endpoint());
    assertEquals(List.of("moved 127.0.0.1:40001"), upward);

    layer.onSignal(PartySignals.observedEndpoint(party.id(), "bob", "alice", Endpoint.parse("192.0.2.9:40002")));
    layer.onSignal(new Signal(party.id(), "bob", "alice", PartySignals.OBSERVED_ENDPOINT, java.util.Map.of()));
    assertEquals(List.of("moved 127.0.0.1:40001"), upward, "another address, or a malformed signal, moves nothing");
    layer.close(party.getPeerList());
  }

  @Test
  void withTheNetworkOffNothingIsBroughtUpOrConnected() throws Exception {
    LocalEndpoint local = new LocalEndpoint(config(), null, true);
    local.detect(false);
    ConnectionLayer layer = ConnectionLayer.open(parts(DataPlane.off(), local), recorder, party.id(), alice, 16,
        party.getPeerList(), () -> party);
    assertEquals(ConnectionType.NONE, layer.status(bob).type());
    assertTrue(layer.status(bob).quality().isEmpty());
    layer.onSignal(PartySignals.punch(party.id(), "bob", "alice"));
    layer.tick(party.getPeerList());
    layer.close(party.getPeerList());
    assertEquals(List.of(), backend.calls());
    // The plane delivers in order: once a marker sent after the layer's calls has arrived, anything
    // the layer had signalled would have arrived before it.
    Signal marker = new Signal(party.id(), "alice", "bob", "test-marker", Map.of());
    alicePlane.signal(marker).get(5, TimeUnit.SECONDS);
    Eventually.until(WAIT, () -> !toBob.isEmpty(), "bob hears alice's marker");
    assertEquals(List.of(marker.type()), toBob.stream().map(Signal::type).toList(), "the layer signalled nothing");
  }
}
