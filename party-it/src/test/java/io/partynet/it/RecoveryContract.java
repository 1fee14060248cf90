package io.partynet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.ConnectionType;
import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.NatType;
import io.partynet.Party;
import io.partynet.Peer;
import io.partynet.spi.ControlPlaneListener;
import io.partynet.spi.NatDetector;
import io.partynet.spi.NatReport;
import io.partynet.spi.PeerStats;
import io.partynet.spi.Signal;
import io.partynet.testing.Eventually;
import io.partynet.testing.ManagerHarness;
import io.partynet.testing.ManagerHarness.Member;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What keeps a member in its party when things go wrong, on a real control plane: heartbeats,
 * removal as stale and the automatic rejoin, a party that vanished, a restart on the same home, a
 * restart on another network, NAT rebinding. Runs on the local and the remote plane
 * ({@link LocalRecoveryTest}, {@link RemoteRecoveryTest}).
 */
abstract class RecoveryContract extends PlaneContract {
  /** The signal a member sends when it sees another's packets arrive from a new endpoint (wire vocabulary). */
  static final String OBSERVED_SIGNAL = "observed-endpoint";
  static final String OBSERVED_ENDPOINT = "endpoint";

  private ManagerHarness.MemberSpec heartbeating(String name) {
    return members.member(name).config(c -> c.heartbeatInterval(ManagerHarness.FAST_HEARTBEAT));
  }

  private static NatDetector detector(NatType nat, Endpoint mapped) {
    return port -> CompletableFuture.completedFuture(new NatReport(nat, mapped, "test mapping"));
  }

  @Test
  void heartbeatsRefreshLastSeenAndNoticeAVanishedParty() throws Exception {
    Member alice = heartbeating("alice").start();
    Party party = get(alice.manager().create("lan"));
    assertEquals(alice.id(), planeParty(party.id()).hostId());

    clock.advance(Duration.ofSeconds(10));
    Eventually.until(WAIT, () -> clock.instant().equals(plane.lastSeen(party.id(), alice.id()).orElse(null)),
        "a heartbeat refreshes last seen");

    plane.loseEverything();
    alice.events().await("partyDisbanded " + party.id() + " gone", WAIT);
    assertTrue(alice.manager().currentParty().isEmpty());
    assertFalse(alice.backend().isUp());
  }

  @Test
  void droppedAsStaleRejoinsAutomatically() throws Exception {
    Member alice = heartbeating("alice").start();
    Member bob = members.start("bob"); // heartbeats every 10 s of real time: none during the test
    Party party = get(alice.manager().create("lan"));
    get(bob.manager().join(party.id(), "bob"));
    alice.events().await("peerJoined bob", WAIT);

    // Alice stays fresh; bob's last heartbeat falls behind the stale timeout.
    Duration stale = ManagerHarness.STALE_TIMEOUT;
    clock.advance(stale.dividedBy(2));
    Eventually.until(WAIT, () -> clock.instant().equals(plane.lastSeen(party.id(), alice.id()).orElse(null)),
        "alice heartbeats at the new time");
    clock.advance(stale.dividedBy(2).plusSeconds(1));

    alice.events().await("peerLeft bob stale", WAIT);
    Eventually.until(WAIT, () -> plane.party(party.id()).map(p -> p.peer(bob.id()) != null).orElse(false),
        "bob rejoins after being dropped as stale");
    assertTrue(bob.manager().currentParty().isPresent());
    Eventually.until(WAIT, bob.backend()::isUp, "bob's interface is up again");
    assertEquals(new IpPrefix(planeParty(party.id()).peer(bob.id()).virtualIp(), 16),
        bob.backend().interfaceConfig().address());
    List<String> expected = List.of("peerJoined bob", "peerLeft bob stale", "peerJoined bob");
    Eventually.until(WAIT, () -> expected.equals(alice.events().events().stream().filter(e -> e.contains("bob")).toList()),
        () -> "alice hears bob leave as stale and join again: " + alice.events().events());
  }

  @Test
  void aRestartedMemberResumesItsPartyWithTheSameIdAndAddress() throws Exception {
    Member alice = members.start("alice");
    InMemoryStatePersister.Disk bobHome = new InMemoryStatePersister.Disk();
    Member bob = members.member("bob").statePersister(new InMemoryStatePersister(bobHome)).start();
    Party party = get(alice.manager().create("lan"));
    get(bob.manager().join(party.id(), "bob"));
    String bobId = bob.id();
    String bobIp = planeParty(party.id()).peer(bobId).virtualIp();

    bob.manager().close();
    bob.plane().close();
    Member bob2 = members.member("bob").statePersister(new InMemoryStatePersister(bobHome)).start();

    assertEquals(bobId, bob2.id(), "the peer id is stable per home");
    assertEquals(party.id(), bob2.manager().currentParty().orElseThrow().id(), "resumed at once from disk");
    bob2.events().await("partyJoined " + party.id(), WAIT);
    Eventually.until(WAIT, bob2.backend()::isUp, "the interface comes up again");
    assertEquals(bobIp + "/16", bob2.backend().interfaceConfig().address().toString());
    List<Peer> peers = planeParty(party.id()).peers();
    assertEquals(2, peers.size(), "rejoining is idempotent: " + peers);
    assertEquals(bobIp, planeParty(party.id()).peer(bobId).virtualIp());
    assertTrue(bob2.backend().peers().containsKey(Key.fromBase64(planeParty(party.id()).peer(alice.id()).publicKey())));
  }

  @Test
  void aPartyThatVanishedWhileDownIsClearedWithAnEvent() throws Exception {
    Member alice = members.start("alice");
    InMemoryStatePersister.Disk bobHome = new InMemoryStatePersister.Disk();
    Member bob = members.member("bob").statePersister(new InMemoryStatePersister(bobHome)).start();
    Party party = get(alice.manager().create("lan"));
    get(bob.manager().join(party.id(), "bob"));
    bob.manager().close();
    bob.plane().close();
    get(alice.manager().leave());

    Member bob2 = members.member("bob").statePersister(new InMemoryStatePersister(bobHome)).start();

    bob2.events().await("partyDisbanded " + party.id() + " gone", WAIT);
    assertTrue(bob2.manager().currentParty().isEmpty());
    assertFalse(bob2.backend().isUp());
    assertFalse(bobHome.entries().containsKey(MembershipContract.PARTY_KEY), "the stale party is cleared on disk");
    assertTrue(bobHome.entries().containsKey(MembershipContract.PEER_ID_KEY), "the peer id is kept");
  }

  @Test
  void aLeftPartyIsNotResumed() throws Exception {
    InMemoryStatePersister.Disk home = new InMemoryStatePersister.Disk();
    Member alice = members.member("alice").statePersister(new InMemoryStatePersister(home)).start();
    get(alice.manager().create("lan"));
    get(alice.manager().leave());
    alice.manager().close();
    alice.plane().close();

    Member again = members.member("alice").statePersister(new InMemoryStatePersister(home)).start();
    assertTrue(again.manager().currentParty().isEmpty());
    assertEquals(0, plane.partyCount());
  }

  /** A port-preserving NAT at {@code address}: the mapping of a port is that port on the public address. */
  private static NatDetector portPreserving(NatType nat, String address) {
    return port -> CompletableFuture.completedFuture(new NatReport(nat, new Endpoint(address, port == 0 ? 40123 : port),
        "test mapping"));
  }

  /**
   * A member that restarts on another network (a laptop moved from home to a café) comes back
   * with a new public endpoint and NAT type: the others must dial it there, not at its old address.
   * Its interface is up from the persisted state before NAT detection runs, so detection runs from
   * another port and the public address is paired with WireGuard's port (docs/PARTY.md).
   */
  @Test
  void aMemberRestartingOnAnotherNetworkIsDialledAtItsNewEndpoint() throws Exception {
    Endpoint home = Endpoint.parse("198.51.100.20:51820");
    Endpoint cafe = Endpoint.parse("203.0.113.77:51820");
    Member alice = members.member("alice").natDetector(detector(NatType.FULL_CONE, Endpoint.parse("203.0.113.10:51820")))
        .start();
    Member bob = members.member("bob").natDetector(detector(NatType.FULL_CONE, home)).start();
    Party party = get(alice.manager().create("lan"));
    get(bob.manager().join(party.id(), "bob"));
    alice.events().await("peerJoined bob", WAIT);
    Key bobKey = bob.publicKey();
    assertEquals(home, alice.backend().peers().get(bobKey).endpoint());

    bob.manager().close();
    bob.plane().close();
    Member movedBob = members.member("bob").natDetector(portPreserving(NatType.PORT_RESTRICTED_CONE, cafe.host()))
        .start();
    movedBob.events().await("partyJoined " + party.id(), WAIT);

    Peer onPlane = planeParty(party.id()).peer(bob.id());
    assertEquals(cafe, onPlane.endpoint(), "the plane hands out the new endpoint");
    assertEquals(NatType.PORT_RESTRICTED_CONE, onPlane.natType());
    alice.events().await("peerUpdated bob", WAIT);
    Eventually.until(WAIT, () -> cafe.equals(alice.backend().peers().get(bobKey).endpoint()),
        () -> "alice's WireGuard dials bob at the café, has " + alice.backend().peers().get(bobKey));
  }

  @Test
  void aReboundPortSeenByAPeerIsPublishedAndFollowed() throws Exception {
    Endpoint aliceBefore = Endpoint.parse("203.0.113.10:51820");
    Endpoint aliceAfter = Endpoint.parse("203.0.113.10:40001");
    Member alice = members.member("alice").natDetector(detector(NatType.FULL_CONE, aliceBefore)).start();
    Member bob = members.member("bob").natDetector(detector(NatType.FULL_CONE, Endpoint.parse("198.51.100.20:51820")))
        .start();
    Party party = get(alice.manager().create("lan"));
    get(bob.manager().join(party.id(), "bob"));
    Key aliceKey = Key.fromBase64(bob.manager().currentParty().orElseThrow().peers().get(alice.id()).publicKey());
    assertEquals(aliceBefore, bob.backend().peers().get(aliceKey).endpoint());

    // Alice's NAT dropped its mapping; her packets now reach bob from a new port.
    clock.advance(Duration.ofSeconds(1));
    bob.backend().setStats(new PeerStats(aliceKey, aliceAfter, clock.instant(), 500, 500));
    Eventually.until(WAIT, () -> bob.manager().status().join().peers().stream()
        .anyMatch(p -> p.peer().name().equals("alice") && p.peer().connectionType() == ConnectionType.DIRECT),
        "bob's link to alice is up");

    Eventually.until(WAIT, () -> aliceAfter.equals(bob.backend().peers().get(aliceKey).endpoint()),
        () -> "bob's WireGuard follows alice's new port, has " + bob.backend().peers().get(aliceKey));
    Eventually.until(WAIT, () -> planeParty(party.id()).peer(alice.id()).endpoint().equals(aliceAfter),
        "alice published her new endpoint");
  }

  @Test
  void anotherAddressOrASymmetricNatIsNotAdopted() throws Exception {
    List<Signal> toCarol = new CopyOnWriteArrayList<>();
    Member carol = members.member("carol").natDetector(detector(NatType.SYMMETRIC, Endpoint.parse("203.0.113.30:51820")))
        .start();
    Member dave = members.member("dave").natDetector(detector(NatType.OPEN, Endpoint.parse("198.51.100.40:51820")))
        .start();
    // Registered after the manager's own listener, so it hears each signal after the manager queued it.
    carol.plane().addListener(new ControlPlaneListener() {
      @Override
      public void onSignal(Signal signal) {
        toCarol.add(signal);
      }
    });
    Party party = get(carol.manager().create("lan"));
    get(dave.manager().join(party.id(), "dave"));
    Key carolKey = Key.fromBase64(dave.manager().currentParty().orElseThrow().peers().get(carol.id()).publicKey());
    clock.advance(Duration.ofSeconds(1));
    // A symmetric NAT shows dave another port than its STUN mapping: that is normal, not a rebinding.
    dave.backend().setStats(new PeerStats(carolKey, Endpoint.parse("203.0.113.30:61000"), clock.instant(), 500, 500));
    Eventually.until(WAIT, () -> dave.manager().status().join().peers().stream()
        .anyMatch(p -> p.peer().name().equals("carol") && p.peer().connectionType() == ConnectionType.DIRECT),
        "dave's link to carol is up");
    Eventually.until(WAIT, () -> toCarol.stream().anyMatch(s -> s.type().equals(OBSERVED_SIGNAL)
        && s.data().get(OBSERVED_ENDPOINT).equals("203.0.113.30:61000")),
        () -> "dave tells carol where he sees her; carol got " + toCarol);
    get(carol.manager().status()); // carol's worker has handled the signal by now
    assertEquals(Endpoint.parse("203.0.113.30:51820"), planeParty(party.id()).peer(carol.id()).endpoint());
    assertNotNull(carol.self());
  }
}
