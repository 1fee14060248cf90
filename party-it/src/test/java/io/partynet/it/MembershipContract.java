package io.partynet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.BackendUnavailableException;
import io.partynet.ConnectionType;
import io.partynet.Endpoint;
import io.partynet.InvalidInviteCodeException;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.NatType;
import io.partynet.NotHostException;
import io.partynet.Party;
import io.partynet.PartyException;
import io.partynet.PartyListener;
import io.partynet.PartyNotFoundException;
import io.partynet.PartyStatus;
import io.partynet.Peer;
import io.partynet.PeerStatus;
import io.partynet.spi.NatReport;
import io.partynet.spi.PeerConfig;
import io.partynet.spi.PeerStats;
import io.partynet.testing.Eventually;
import io.partynet.testing.ManagerHarness.Member;
import io.partynet.testing.PartyEventRecorder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The manager's membership behaviour on a real control plane, through the public API only:
 * create, join, leave, kick, status, typed errors, listener threading. Runs on the local and on
 * the remote plane ({@link LocalMembershipTest}, {@link RemoteMembershipTest}).
 */
abstract class MembershipContract extends PlaneContract {
  /** What the manager persists under (a format contract: renaming a key loses every saved party). */
  static final String PEER_ID_KEY = "manager.peer-id";
  static final String PARTY_ID_KEY = "manager.party-id";
  static final String PARTY_KEY = "manager.party";
  /** WireGuard's persistent keepalive the SDK configures for every peer. */
  static final int KEEPALIVE_SECONDS = 25;
  /** WireGuard's Reject-After-Time: a handshake older than this is no working path. */
  static final Duration REJECT_AFTER_TIME = Duration.ofSeconds(180);

  @Test
  void createBringsUpTheInterfaceWithTheAssignedAddressAndPersists() throws Exception {
    InMemoryStatePersister persister = new InMemoryStatePersister();
    Member alice = members.member("alice").statePersister(persister).start();
    Party party = get(alice.manager().create("Friday night"));

    assertEquals("Friday night", party.name());
    assertTrue(party.isHost(alice.id()));
    assertEquals("10.77.0.1", alice.self().virtualIp());
    assertTrue(alice.backend().isUp());
    assertEquals(new IpPrefix("10.77.0.1", 16), alice.backend().interfaceConfig().address());
    assertEquals("pn-alice", alice.backend().interfaceConfig().name());
    alice.events().await("partyJoined " + party.id());
    assertEquals(party.id(), persister.read(PARTY_ID_KEY, String.class).orElseThrow());
    assertEquals(party, persister.read(PARTY_KEY, Party.class).orElseThrow());
    assertEquals(alice.id(), persister.read(PEER_ID_KEY, String.class).orElseThrow());
  }

  @Test
  void joinAddsEveryOtherMemberAsWireGuardPeerAndTheHostLearnsOfTheNewcomer() throws Exception {
    Member alice = members.start("alice");
    Member bob = members.start("bob");
    Party party = get(alice.manager().create("lan"));
    Party joined = get(bob.manager().join(party.id().toLowerCase().replace("-", " "), "bob"));

    assertEquals(party.id(), joined.id());
    assertEquals(2, joined.peers().size());
    PeerConfig aliceOnBob = bob.backend().peers().get(alice.publicKey());
    assertNotNull(aliceOnBob, "bob's WireGuard lists alice");
    assertEquals(List.of(new IpPrefix("10.77.0.1", 32)), aliceOnBob.allowedIps());
    assertEquals(KEEPALIVE_SECONDS, aliceOnBob.persistentKeepaliveSeconds());
    assertEquals(new IpPrefix("10.77.0.2", 16), bob.backend().interfaceConfig().address());

    alice.events().await("peerJoined bob", WAIT);
    Eventually.until(WAIT, () -> alice.backend().peers().containsKey(bob.publicKey()), "alice adds bob to WireGuard");
    assertEquals(List.of(new IpPrefix("10.77.0.2", 32)), alice.backend().peers().get(bob.publicKey()).allowedIps());
    assertEquals(2, alice.manager().currentParty().orElseThrow().peers().size());
  }

  @Test
  void statusReportsEveryMemberWithBackendStatisticsAndLastSeen() throws Exception {
    Member alice = members.start("alice");
    Member bob = members.start("bob");
    Party party = bobJoinsAlicesParty(alice, bob);
    Endpoint seenAt = Endpoint.parse("192.0.2.7:51820");
    clock.advance(Duration.ofSeconds(2));
    alice.backend().setStats(new PeerStats(bob.publicKey(), seenAt, clock.instant().minusSeconds(1), 1000, 2000));

    // Connection monitoring reads the statistics every second.
    Eventually.until(WAIT, () -> alice.manager().status().join().peers().get(1).peer().connectionType()
        == ConnectionType.DIRECT, "the next monitoring tick finds the handshake");
    PartyStatus status = get(alice.manager().status());

    assertEquals(party.id(), status.partyId());
    assertEquals("fake", status.network());
    assertEquals(plane.name(), status.controlPlane());
    assertEquals(2, status.peers().size());
    PeerStatus me = status.peers().get(0);
    assertTrue(me.self());
    PeerStatus other = status.peers().get(1);
    assertEquals("bob", other.peer().name());
    assertEquals(ConnectionType.DIRECT, other.peer().connectionType());
    assertEquals(seenAt, other.peer().endpoint());
    assertEquals(1000, other.rxBytes());
    assertEquals(2000, other.txBytes());
    assertEquals(clock.instant().minusSeconds(1), other.lastHandshake());
    assertNotNull(other.lastSeen());

    clock.advance(REJECT_AFTER_TIME.plusSeconds(10));
    Eventually.until(WAIT, () -> alice.manager().status().join().peers().get(1).peer().connectionType()
        == ConnectionType.NONE, "a handshake older than Reject-After-Time is no working path");
  }

  @Test
  void networkOffRunsMembershipOnlyAndSaysSo() throws Exception {
    Member alice = members.member("alice").networkOff().start();
    get(alice.manager().create("lan"));

    PartyStatus status = get(alice.manager().status());
    assertEquals("off", status.network());
    assertTrue(alice.backend().calls().isEmpty(), "no backend is touched with the network off");
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
        () -> alice.manager().openDatagramSocket(9000));
    assertTrue(e.getMessage().contains("off"), e.getMessage());
  }

  @Test
  void aKernelBackendHasNoUserspaceSocketsAndTheErrorSaysWhatToUse() throws Exception {
    Member alice = members.start("alice");
    get(alice.manager().create("lan"));

    BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
        () -> alice.manager().forwardUdp(0, "10.77.0.2", 9000));
    assertTrue(e.getMessage().contains("DatagramSocket") && e.getMessage().contains("10.77.0.1"), e.getMessage());
  }

  @Test
  void notInAPartyIsATypedError() throws Exception {
    Member alice = members.start("alice");
    assertEquals(PartyException.Reason.NOT_IN_PARTY, failure(alice.manager().status()).reason());
    assertEquals(PartyException.Reason.NOT_IN_PARTY, failure(alice.manager().leave()).reason());
    assertThrows(PartyException.class, () -> alice.manager().openDatagramSocket(0));
  }

  @Test
  void createTwiceIsRefusedUntilLeaving() throws Exception {
    Member alice = members.start("alice");
    get(alice.manager().create("one"));
    assertEquals(PartyException.Reason.ALREADY_IN_PARTY, failure(alice.manager().create("two")).reason());
    get(alice.manager().leave());
    assertEquals("two", get(alice.manager().create("two")).name());
  }

  @Test
  void aMalformedInviteCodeFailsBeforeTouchingTheControlPlane() throws Exception {
    Member bob = members.start("bob");
    plane.makeUnreachable();
    PartyException e = failure(bob.manager().join("not a code!", "bob"));
    assertInstanceOf(InvalidInviteCodeException.class, e);
  }

  @Test
  void anUnknownInviteCodeIsPartyNotFound() throws Exception {
    Member bob = members.start("bob");
    String unused = io.partynet.InviteCode.generate(new java.util.Random(99));
    assertInstanceOf(PartyNotFoundException.class, failure(bob.manager().join(unused, "bob")));
  }

  @Test
  void memberLeavingRemovesItEverywhereAndClearsItsState() throws Exception {
    Member alice = members.start("alice");
    InMemoryStatePersister bobState = new InMemoryStatePersister();
    Member bob = members.member("bob").statePersister(bobState).start();
    Party party = bobJoinsAlicesParty(alice, bob);
    Key bobKey = bob.publicKey();

    get(bob.manager().leave());

    assertTrue(bob.manager().currentParty().isEmpty());
    assertFalse(bob.backend().isUp(), "bob's interface is closed");
    assertFalse(bobState.disk().entries().containsKey(PARTY_KEY), "bob's persisted party is cleared durably");
    bob.events().await("partyLeft " + party.id());
    alice.events().await("peerLeft bob left", WAIT);
    Eventually.until(WAIT, () -> !alice.backend().peers().containsKey(bobKey), "alice removes bob from WireGuard");
    assertEquals(1, alice.manager().currentParty().orElseThrow().peers().size());
  }

  @Test
  void hostLeavingDisbandsThePartyForEveryone() throws Exception {
    Member alice = members.start("alice");
    Member bob = members.start("bob");
    Party party = get(alice.manager().create("lan"));
    get(bob.manager().join(party.id(), "bob"));

    get(alice.manager().leave());

    bob.events().await("partyDisbanded " + party.id() + " host-left", WAIT);
    Eventually.until(WAIT, () -> bob.manager().currentParty().isEmpty(), "bob's party is cleared");
    assertFalse(bob.backend().isUp());
    assertTrue(plane.party(party.id()).isEmpty());
  }

  @Test
  void aLeaveFollowedAtOnceByCloseStillReachesTheControlPlane() throws Exception {
    Member alice = members.start("alice");
    Member bob = members.start("bob");
    Party party = bobJoinsAlicesParty(alice, bob);

    // What the CLI did when its own leave event ended it: leave, then close everything at once.
    // The request must not be cut off; without the answer alice would keep bob until his stale timeout.
    CompletableFuture<Void> leaving = bob.manager().leave();
    bob.manager().close();
    assertTrue(leaving.isDone(), "close() returns after the control plane took the leave");
    bob.plane().close();

    alice.events().await("peerLeft bob left", WAIT);
    assertEquals(1, planeParty(party.id()).peers().size(), "the control plane let bob go");
  }

  @Test
  void onlyTheHostKicks() throws Exception {
    Member alice = members.start("alice");
    Member bob = members.start("bob");
    Party party = bobJoinsAlicesParty(alice, bob);

    assertInstanceOf(NotHostException.class, failure(bob.manager().kick(alice.id())));
    assertEquals(PartyException.Reason.PEER_NOT_FOUND, failure(alice.manager().kick("nobody")).reason());

    get(alice.manager().kick(bob.id()));

    alice.events().await("peerLeft bob kicked", WAIT);
    bob.events().await("peerLeft bob kicked", WAIT);
    bob.events().await("partyLeft " + party.id(), WAIT);
    Eventually.until(WAIT, () -> bob.manager().currentParty().isEmpty(), "bob is out");
    assertFalse(bob.backend().isUp());
    assertEquals(1, planeParty(party.id()).peers().size());
  }

  @Test
  void updatedEndpointReachesWireGuard() throws Exception {
    Member alice = members.start("alice");
    Member bob = members.start("bob");
    Party party = bobJoinsAlicesParty(alice, bob);

    Endpoint roamed = Endpoint.parse("198.51.100.9:40000");
    get(bob.plane().updatePeer(party.id(), bob.self().withEndpoint(roamed)));

    alice.events().await("peerUpdated bob", WAIT);
    Eventually.until(WAIT, () -> roamed.equals(alice.backend().peers().get(bob.publicKey()).endpoint()),
        "alice's WireGuard follows bob's new endpoint");
  }

  /**
   * A member's record update from the control plane (a new endpoint) carries that member's own
   * fields; the path to it is this member's view, which the update must not replace: the CLI
   * printed "lost the path" and then "connected" again on every endpoint update.
   */
  @Test
  void aPeerUpdateKeepsThisMembersViewOfThePath() throws Exception {
    Member alice = members.start("alice");
    Member bob = members.start("bob");
    Party party = bobJoinsAlicesParty(alice, bob);
    List<ConnectionType> bobsPaths = new java.util.concurrent.CopyOnWriteArrayList<>();
    alice.manager().addListener(new PartyListener() {
      @Override
      public void onPeerUpdated(Party p, Peer peer) {
        if (peer.name().equals("bob")) {
          bobsPaths.add(peer.connectionType());
        }
      }
    });
    clock.advance(Duration.ofSeconds(2));
    alice.backend().setStats(new PeerStats(bob.publicKey(), Endpoint.parse("192.0.2.7:51820"),
        clock.instant().minusSeconds(1), 1000, 2000));
    Eventually.until(WAIT, () -> bobsPaths.contains(ConnectionType.DIRECT), "alice's link to bob comes up");

    int before = bobsPaths.size();
    get(bob.plane().updatePeer(party.id(), bob.self().withEndpoint(Endpoint.parse("198.51.100.9:40000"))));
    alice.events().await("peerUpdated bob", WAIT);
    Eventually.until(WAIT, () -> bobsPaths.size() > before, "alice hears of bob's new endpoint");
    assertEquals(ConnectionType.DIRECT, bobsPaths.get(before), "the update keeps alice's path to bob: " + bobsPaths);
  }

  @Test
  void natDetectionFailureMeansUnknownAndRelayOnly() throws Exception {
    Member alice = members.start("alice");
    get(alice.manager().create("lan"));
    assertEquals(NatType.UNKNOWN, alice.manager().natType(), "no detector configured");

    Member carol = members.member("carol").networkOff()
        .natDetector(port -> CompletableFuture.failedFuture(new IOException("no STUN server answered"))).start();
    Party party = get(carol.manager().create("lan"));
    assertEquals(NatType.UNKNOWN, carol.manager().natType());
    assertEquals(NatType.UNKNOWN, party.peers().get(carol.id()).natType());
  }

  @Test
  void detectedNatTypeAndMappedEndpointAreAdvertised() throws Exception {
    Endpoint mapped = Endpoint.parse("203.0.113.5:51820");
    Member dave = members.member("dave").natDetector(port -> CompletableFuture.completedFuture(
        new NatReport(port == 51820 ? NatType.FULL_CONE : NatType.SYMMETRIC, mapped, "test"))).start();
    Party party = get(dave.manager().create("lan"));
    Peer me = planeParty(party.id()).peer(dave.id());
    assertEquals(NatType.FULL_CONE, me.natType(), "detected from the WireGuard listen port");
    assertEquals(mapped, me.endpoint());
  }

  @Test
  void aBackendThatCannotComeUpUndoesTheJoin() throws Exception {
    Member alice = members.start("alice");
    alice.backend().failUpWith(new IOException("Operation not permitted"));
    PartyException e = failure(alice.manager().create("lan"));
    assertInstanceOf(BackendUnavailableException.class, e);
    assertTrue(e.getMessage().contains("Operation not permitted"), e.getMessage());
    assertTrue(alice.manager().currentParty().isEmpty());
    assertEquals(0, plane.partyCount(), "the half-created party is removed again");
  }

  @Test
  void listenerEventsArriveInOrderOnOneThreadAndAThrowingListenerIsIgnored() throws Exception {
    Member alice = members.start("alice");
    for (String connected : plane.eventsOnConnect()) {
      alice.events().await(connected, WAIT);
      alice.events().expectNext(connected);
    }
    PartyEventRecorder second = new PartyEventRecorder();
    alice.manager().addListener(new PartyListener() {
      @Override
      public void onPeerJoined(Party party, Peer peer) {
        throw new IllegalStateException("a buggy listener");
      }
    });
    alice.manager().addListener(second);
    Party party = get(alice.manager().create("lan"));
    List<Member> guests = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Member guest = members.start("guest" + i);
      get(guest.manager().join(party.id(), "guest" + i));
      alice.events().await("peerJoined guest" + i, WAIT);
      guests.add(guest);
    }
    get(guests.get(2).manager().leave());

    for (String expected : List.of("partyJoined " + party.id(), "peerJoined guest0", "peerJoined guest1",
        "peerJoined guest2", "peerJoined guest3", "peerJoined guest4", "peerLeft guest2 left")) {
      second.expectNext(expected);
      alice.events().expectNext(expected);
    }
    get(alice.manager().status()); // every event queued so far has been delivered
    second.assertExhausted();
    alice.events().assertExhausted();
    assertEquals(Set.of("partynet-events"), second.threads());
  }

  @Test
  void aListenerMayCloseTheManager() throws Exception {
    Member alice = members.start("alice");
    CompletableFuture<Long> closedInMillis = new CompletableFuture<>();
    alice.manager().addListener(new PartyListener() {
      @Override
      public void onPartyJoined(Party party) {
        long start = System.nanoTime();
        alice.manager().close();
        closedInMillis.complete((System.nanoTime() - start) / 1_000_000);
      }
    });
    get(alice.manager().create("lan"));
    long millis = closedInMillis.get(10, TimeUnit.SECONDS);
    assertTrue(millis < 2000, "close() from the event thread does not wait for itself: " + millis + " ms");
    assertFalse(alice.backend().isUp());
  }

  @Test
  void closeDoesNotLeaveButFlushes() throws Exception {
    InMemoryStatePersister persister = new InMemoryStatePersister();
    Member alice = members.member("alice").statePersister(persister).start();
    Party party = get(alice.manager().create("lan"));
    alice.manager().close();
    assertTrue(plane.party(party.id()).isPresent(), "closing is not leaving");
    assertTrue(persister.disk().entries().containsKey(PARTY_KEY), "state is flushed");
    assertFalse(alice.backend().isUp(), "the interface does not outlive the manager");
    PartyException closed = failure(alice.manager().status());
    assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
  }

  /** Alice creates party "lan" and bob joins it; returns once alice has heard of him. */
  private Party bobJoinsAlicesParty(Member alice, Member bob) throws Exception {
    Party party = get(alice.manager().create("lan"));
    get(bob.manager().join(party.id(), "bob"));
    alice.events().await("peerJoined bob", WAIT);
    return party;
  }
}
