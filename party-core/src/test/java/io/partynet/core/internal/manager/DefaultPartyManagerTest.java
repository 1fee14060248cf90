package io.partynet.core.internal.manager;

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
import io.partynet.core.testing.Eventually;
import io.partynet.core.testing.FakeNetworkBackend;
import io.partynet.core.testing.InMemoryControlPlaneHub;
import io.partynet.core.testing.InMemoryStatePersister;
import io.partynet.core.testing.ManualScheduler;
import io.partynet.core.testing.ManualClock;
import io.partynet.core.testing.RecordingPartyListener;
import io.partynet.core.testing.TestMembers;
import io.partynet.spi.NatReport;
import io.partynet.spi.PeerConfig;
import io.partynet.spi.PeerStats;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DefaultPartyManagerTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private final ManualClock clock = ManualClock.startingAt("2026-01-02T00:00:00Z");
  private final InMemoryControlPlaneHub hub = new InMemoryControlPlaneHub(clock);
  private final List<AutoCloseable> toClose = new ArrayList<>();

  /** One member: its manager and the doubles around it. */
  private final class Member {
    final String name;
    final ManualScheduler scheduler = new ManualScheduler();
    final InMemoryStatePersister persister;
    final FakeNetworkBackend backend = new FakeNetworkBackend("fake");
    final RecordingPartyListener events = new RecordingPartyListener();
    final InMemoryControlPlaneHub.Client plane;
    final DefaultPartyManager manager;

    Member(String name, long seed, InMemoryStatePersister.Disk disk, boolean networkOn) {
      this.name = name;
      this.persister = new InMemoryStatePersister(disk);
      this.plane = hub.client();
      DefaultPartyManager.Builder b = TestMembers.builder(name, clock, scheduler, persister, seed)
          .controlPlane(plane).listener(events);
      if (networkOn) {
        b.network("fake", () -> backend);
      } else {
        b.networkOff();
      }
      manager = b.build();
      toClose.add(manager);
      toClose.add(plane);
    }

    Member(String name, long seed) {
      this(name, seed, new InMemoryStatePersister.Disk(), true);
    }

    Key publicKey() {
      return Key.fromBase64(hubPeer().publicKey());
    }

    Peer hubPeer() {
      Party party = manager.currentParty().orElseThrow();
      return party.peers().get(manager.myPeerId());
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    hub.close();
  }

  private static <T> T get(Future<T> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  private static PartyException failure(CompletableFuture<?> future) throws TimeoutException, InterruptedException {
    ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
    return assertInstanceOf(PartyException.class, e.getCause(), () -> "not a PartyException: " + e.getCause());
  }

  @Test
  void createBringsUpTheInterfaceWithTheAssignedAddressAndPersists() throws Exception {
    Member alice = new Member("alice", 1);
    Party party = get(alice.manager.create("Friday night"));

    assertEquals("Friday night", party.name());
    assertTrue(party.isHost(alice.manager.myPeerId()));
    assertEquals("10.77.0.1", alice.hubPeer().virtualIp());
    assertTrue(alice.backend.isUp());
    assertEquals(new IpPrefix("10.77.0.1", 16), alice.backend.interfaceConfig().address());
    assertEquals("pn-alice", alice.backend.interfaceConfig().name());
    alice.events.await("partyJoined " + party.id());
    assertEquals(party.id(), alice.persister.read(MembershipStore.PARTY_ID, String.class).orElseThrow());
    assertEquals(party, alice.persister.read(MembershipStore.PARTY, Party.class).orElseThrow());
    assertEquals(alice.manager.myPeerId(), alice.persister.read(MembershipStore.PEER_ID, String.class).orElseThrow());
  }

  @Test
  void joinAddsEveryOtherMemberAsWireGuardPeerAndTheHostLearnsOfTheNewcomer() throws Exception {
    Member alice = new Member("alice", 1);
    Member bob = new Member("bob", 2);
    Party party = get(alice.manager.create("lan"));
    Party joined = get(bob.manager.join(party.id().toLowerCase().replace("-", " "), "bob"));

    assertEquals(party.id(), joined.id());
    assertEquals(2, joined.peers().size());
    PeerConfig aliceOnBob = bob.backend.peers().get(alice.publicKey());
    assertNotNull(aliceOnBob, "bob's WireGuard lists alice");
    assertEquals(List.of(new IpPrefix("10.77.0.1", 32)), aliceOnBob.allowedIps());
    assertEquals(DataPlane.KEEPALIVE_SECONDS, aliceOnBob.persistentKeepaliveSeconds());
    assertEquals(new IpPrefix("10.77.0.2", 16), bob.backend.interfaceConfig().address());

    alice.events.await("peerJoined bob");
    Eventually.until(WAIT, () -> alice.backend.peers().containsKey(bob.publicKey()), () -> "alice adds bob to WireGuard");
    assertEquals(List.of(new IpPrefix("10.77.0.2", 32)), alice.backend.peers().get(bob.publicKey()).allowedIps());
    assertEquals(2, alice.manager.currentParty().orElseThrow().peers().size());
  }

  @Test
  void statusReportsEveryMemberWithBackendStatisticsAndLastSeen() throws Exception {
    Member alice = new Member("alice", 1);
    Member bob = new Member("bob", 2);
    Party party = get(alice.manager.create("lan"));
    get(bob.manager.join(party.id(), "bob"));
    alice.events.await("peerJoined bob");
    Endpoint seenAt = Endpoint.parse("192.0.2.7:51820");
    clock.advance(Duration.ofSeconds(2));
    alice.backend.setStats(new PeerStats(bob.publicKey(), seenAt, clock.instant().minusSeconds(1), 1000, 2000));
    alice.scheduler.tick();

    PartyStatus status = get(alice.manager.status());

    assertEquals(party.id(), status.partyId());
    assertEquals("fake", status.network());
    assertEquals("local", status.controlPlane());
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

    clock.advance(io.partynet.core.internal.connection.LinkSettings.REJECT_AFTER_TIME.plusSeconds(10));
    alice.scheduler.tick();
    PartyStatus later = get(alice.manager.status());
    assertEquals(ConnectionType.NONE, later.peers().get(1).peer().connectionType(),
        "a handshake older than Reject-After-Time is no working path");
  }

  @Test
  void networkOffRunsMembershipOnlyAndSaysSo() throws Exception {
    Member alice = new Member("alice", 1, new InMemoryStatePersister.Disk(), false);
    get(alice.manager.create("lan"));

    PartyStatus status = get(alice.manager.status());
    assertEquals("off", status.network());
    assertTrue(alice.backend.calls().isEmpty(), "no backend is touched with the network off");
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
        () -> alice.manager.openDatagramSocket(9000));
    assertTrue(e.getMessage().contains("off"), e.getMessage());
  }

  @Test
  void aKernelBackendHasNoUserspaceSocketsAndTheErrorSaysWhatToUse() throws Exception {
    Member alice = new Member("alice", 1);
    get(alice.manager.create("lan"));

    BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
        () -> alice.manager.forwardUdp(0, "10.77.0.2", 9000));
    assertTrue(e.getMessage().contains("DatagramSocket") && e.getMessage().contains("10.77.0.1"), e.getMessage());
  }

  @Test
  void notInAPartyIsATypedError() throws Exception {
    Member alice = new Member("alice", 1);
    assertEquals(PartyException.Reason.NOT_IN_PARTY, failure(alice.manager.status()).reason());
    assertEquals(PartyException.Reason.NOT_IN_PARTY, failure(alice.manager.leave()).reason());
    assertThrows(PartyException.class, () -> alice.manager.openDatagramSocket(0));
  }

  @Test
  void createTwiceIsRefusedUntilLeaving() throws Exception {
    Member alice = new Member("alice", 1);
    get(alice.manager.create("one"));
    assertEquals(PartyException.Reason.ALREADY_IN_PARTY, failure(alice.manager.create("two")).reason());
    get(alice.manager.leave());
    assertEquals("two", get(alice.manager.create("two")).name());
  }

  @Test
  void aMalformedInviteCodeFailsBeforeTouchingTheControlPlane() throws Exception {
    Member bob = new Member("bob", 2);
    hub.setReachable(false);
    PartyException e = failure(bob.manager.join("not a code!", "bob"));
    assertInstanceOf(InvalidInviteCodeException.class, e);
  }

  @Test
  void anUnknownInviteCodeIsPartyNotFound() throws Exception {
    Member bob = new Member("bob", 2);
    String unused = io.partynet.InviteCode.generate(new java.util.Random(99));
    assertInstanceOf(PartyNotFoundException.class, failure(bob.manager.join(unused, "bob")));
  }

  @Test
  void memberLeavingRemovesItEverywhereAndClearsItsState() throws Exception {
    Member alice = new Member("alice", 1);
    Member bob = new Member("bob", 2);
    Party party = get(alice.manager.create("lan"));
    get(bob.manager.join(party.id(), "bob"));
    alice.events.await("peerJoined bob");
    Key bobKey = bob.publicKey();

    get(bob.manager.leave());

    assertTrue(bob.manager.currentParty().isEmpty());
    assertFalse(bob.backend.isUp(), "bob's interface is closed");
    assertTrue(bob.persister.disk().entries().keySet().stream().noneMatch(k -> k.equals(MembershipStore.PARTY)),
        "bob's persisted party is cleared durably");
    bob.events.await("partyLeft " + party.id());
    alice.events.await("peerLeft bob left");
    Eventually.until(WAIT, () -> !alice.backend.peers().containsKey(bobKey), () -> "alice removes bob from WireGuard");
    assertEquals(1, alice.manager.currentParty().orElseThrow().peers().size());
  }

  @Test
  void hostLeavingDisbandsThePartyForEveryone() throws Exception {
    Member alice = new Member("alice", 1);
    Member bob = new Member("bob", 2);
    Party party = get(alice.manager.create("lan"));
    get(bob.manager.join(party.id(), "bob"));

    get(alice.manager.leave());

    bob.events.await("partyDisbanded " + party.id() + " host-left");
    Eventually.until(WAIT, () -> bob.manager.currentParty().isEmpty(), () -> "bob's party is cleared");
    assertFalse(bob.backend.isUp());
    assertTrue(hub.party(party.id()).isEmpty());
  }

  @Test
  void onlyTheHostKicks() throws Exception {
    Member alice = new Member("alice", 1);
    Member bob = new Member("bob", 2);
    Party party = get(alice.manager.create("lan"));
    get(bob.manager.join(party.id(), "bob"));

    assertInstanceOf(NotHostException.class, failure(bob.manager.kick(alice.manager.myPeerId())));
    assertEquals(PartyException.Reason.PEER_NOT_FOUND, failure(alice.manager.kick("nobody")).reason());

    get(alice.manager.kick(bob.manager.myPeerId()));

    alice.events.await("peerLeft bob kicked");
    bob.events.await("peerLeft bob kicked");
    bob.events.await("partyLeft " + party.id());
    Eventually.until(WAIT, () -> bob.manager.currentParty().isEmpty(), () -> "bob is out");
    assertFalse(bob.backend.isUp());
    assertEquals(1, hub.party(party.id()).orElseThrow().peers().size());
  }

  @Test
  void updatedEndpointReachesWireGuard() throws Exception {
    Member alice = new Member("alice", 1);
    Member bob = new Member("bob", 2);
    Party party = get(alice.manager.create("lan"));
    get(bob.manager.join(party.id(), "bob"));
    alice.events.await("peerJoined bob");

    Endpoint roamed = Endpoint.parse("198.51.100.9:40000");
    get(bob.plane.updatePeer(party.id(), bob.hubPeer().withEndpoint(roamed)));

    alice.events.await("peerUpdated bob");
    Eventually.until(WAIT, () -> roamed.equals(alice.backend.peers().get(bob.publicKey()).endpoint()),
        () -> "alice's WireGuard follows bob's new endpoint");
  }

  @Test
  void aSnapshotReconcilesMissedDepartures() throws Exception {
    Member alice = new Member("alice", 1);
    Member bob = new Member("bob", 2);
    Member carol = new Member("carol", 3);
    Party party = get(alice.manager.create("lan"));
    get(bob.manager.join(party.id(), "bob"));
    get(carol.manager.join(party.id(), "carol"));
    alice.events.await("peerJoined carol");
    Key carolKey = carol.publicKey();

    hub.removeSilently(party.id(), carol.manager.myPeerId());
    hub.pushSnapshot(party.id());

    alice.events.await("peerLeft carol left");
    Eventually.until(WAIT, () -> !alice.backend.peers().containsKey(carolKey), () -> "carol leaves alice's WireGuard");
    assertEquals(2, alice.manager.currentParty().orElseThrow().peers().size());
  }

  @Test
  void natDetectionFailureMeansUnknownAndRelayOnly() throws Exception {
    Member alice = new Member("alice", 1);
    get(alice.manager.create("lan"));
    assertEquals(NatType.UNKNOWN, alice.manager.natType(), "no detector configured");

    DefaultPartyManager failing = TestMembers.builder("carol", clock, new ManualScheduler(),
            new InMemoryStatePersister(), 3)
        .controlPlane(hub.client()).networkOff()
        .natDetector(port -> CompletableFuture.failedFuture(new IOException("no STUN server answered")))
        .build();
    toClose.add(failing);
    Party party = get(failing.create("lan"));
    assertEquals(NatType.UNKNOWN, failing.natType());
    assertEquals(NatType.UNKNOWN, party.peers().get(failing.myPeerId()).natType());
  }

  @Test
  void detectedNatTypeAndMappedEndpointAreAdvertised() throws Exception {
    Endpoint mapped = Endpoint.parse("203.0.113.5:51820");
    DefaultPartyManager dave = TestMembers.builder("dave", clock, new ManualScheduler(),
            new InMemoryStatePersister(), 4)
        .controlPlane(hub.client()).network("fake", FakeNetworkBackend::new)
        .natDetector(port -> CompletableFuture.completedFuture(
            new NatReport(port == 51820 ? NatType.FULL_CONE : NatType.SYMMETRIC, mapped, "test")))
        .build();
    toClose.add(dave);
    Party party = get(dave.create("lan"));
    Peer me = hub.party(party.id()).orElseThrow().peer(dave.myPeerId());
    assertEquals(NatType.FULL_CONE, me.natType(), "detected from the WireGuard listen port");
    assertEquals(mapped, me.endpoint());
  }

  @Test
  void aBackendThatCannotComeUpUndoesTheJoin() throws Exception {
    Member alice = new Member("alice", 1);
    alice.backend.failUpWith(new IOException("Operation not permitted"));
    PartyException e = failure(alice.manager.create("lan"));
    assertInstanceOf(BackendUnavailableException.class, e);
    assertTrue(e.getMessage().contains("Operation not permitted"), e.getMessage());
    assertTrue(alice.manager.currentParty().isEmpty());
    assertEquals(0, hub.partyCount(), "the half-created party is removed again");
  }

  @Test
  void heartbeatsRefreshLastSeenAndNoticeAVanishedParty() throws Exception {
    Member alice = new Member("alice", 1);
    Party party = get(alice.manager.create("lan"));
    assertEquals(alice.manager.myPeerId(), hub.party(party.id()).orElseThrow().hostId());
    assertEquals(List.of(Duration.ofSeconds(10), DefaultPartyManager.MONITOR_INTERVAL), alice.scheduler.periods(),
        "heartbeats at the configured interval, connection monitoring every second");

    clock.advance(Duration.ofSeconds(10));
    alice.scheduler.tick();
    Eventually.until(WAIT, () -> hub.lastSeen(party.id(), alice.manager.myPeerId()).orElseThrow().equals(clock.instant()),
        () -> "heartbeat refreshes last seen");

    hub.forget(party.id());
    alice.scheduler.tick();
    alice.events.await("partyDisbanded " + party.id() + " gone");
    assertTrue(alice.manager.currentParty().isEmpty());
    assertFalse(alice.backend.isUp());
  }

  @Test
  void droppedAsStaleRejoinsAutomatically() throws Exception {
    Member alice = new Member("alice", 1);
    Member bob = new Member("bob", 2);
    Party party = get(alice.manager.create("lan"));
    get(bob.manager.join(party.id(), "bob"));
    String bobIp = bob.hubPeer().virtualIp();

    hub.dropStale(party.id(), bob.manager.myPeerId());
    alice.events.await("peerLeft bob stale");
    bob.scheduler.tick();

    Eventually.until(WAIT, () -> hub.party(party.id()).orElseThrow().peer(bob.manager.myPeerId()) != null,
        () -> "bob rejoins after being dropped as stale");
    assertTrue(bob.manager.currentParty().isPresent());
    Eventually.until(WAIT, bob.backend::isUp, () -> "bob's interface is up again");
    assertEquals(new IpPrefix(hub.party(party.id()).orElseThrow().peer(bob.manager.myPeerId()).virtualIp(), 16),
        bob.backend.interfaceConfig().address());
    assertNotNull(bobIp);
    alice.events.await("peerJoined bob");
  }

  @Test
  void listenerEventsArriveInOrderOnOneThreadAndAThrowingListenerIsIgnored() throws Exception {
    Member alice = new Member("alice", 1);
    RecordingPartyListener second = new RecordingPartyListener();
    alice.manager.addListener(new PartyListener() {
      @Override
      public void onPeerJoined(Party party, Peer peer) {
        throw new IllegalStateException("a buggy listener");
      }
    });
    alice.manager.addListener(second);
    Party party = get(alice.manager.create("lan"));
    List<Member> guests = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Member guest = new Member("guest" + i, 10 + i);
      get(guest.manager.join(party.id(), "guest" + i));
      guests.add(guest);
    }
    get(guests.get(2).manager.leave());
    second.await("peerLeft guest2 left");

    List<String> expected = List.of("partyJoined " + party.id(), "peerJoined guest0", "peerJoined guest1",
        "peerJoined guest2", "peerJoined guest3", "peerJoined guest4", "peerLeft guest2 left");
    assertEquals(expected, second.events());
    assertEquals(expected, alice.events.events());
    assertEquals(java.util.Set.of("partynet-events"), second.threads());
  }

  @Test
  void aListenerMayCloseTheManager() throws Exception {
    Member alice = new Member("alice", 1);
    CompletableFuture<Long> closedInMillis = new CompletableFuture<>();
    alice.manager.addListener(new PartyListener() {
      @Override
      public void onPartyJoined(Party party) {
        long start = System.nanoTime();
        alice.manager.close();
        closedInMillis.complete((System.nanoTime() - start) / 1_000_000);
      }
    });
    get(alice.manager.create("lan"));
    long millis = closedInMillis.get(10, TimeUnit.SECONDS);
    assertTrue(millis < 2000, "close() from the event thread does not wait for itself: " + millis + " ms");
    assertFalse(alice.backend.isUp());
  }

  @Test
  void closeDoesNotLeaveButFlushesAndStopsHeartbeats() throws Exception {
    Member alice = new Member("alice", 1);
    Party party = get(alice.manager.create("lan"));
    alice.manager.close();
    assertEquals(0, alice.scheduler.scheduledCount());
    assertTrue(hub.party(party.id()).isPresent(), "closing is not leaving");
    assertTrue(alice.persister.disk().entries().containsKey(MembershipStore.PARTY), "state is flushed");
    assertFalse(alice.backend.isUp(), "the interface does not outlive the manager");
    PartyException closed = failure(alice.manager.status());
    assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
  }
}
