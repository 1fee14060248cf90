package io.partynet.core.internal.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partynet.ConnectionType;
import io.partynet.Endpoint;
import io.partynet.Key;
import io.partynet.NatType;
import io.partynet.Party;
import io.partynet.spi.NatReport;
import io.partynet.spi.ControlPlaneListener;
import io.partynet.spi.PeerStats;
import io.partynet.spi.Signal;
import io.partynet.core.internal.connection.PartySignals;
import io.partynet.core.testing.Eventually;
import io.partynet.core.testing.FakeNetworkBackend;
import io.partynet.core.testing.InMemoryControlPlaneHub;
import io.partynet.core.testing.InMemoryStatePersister;
import io.partynet.core.testing.ManualClock;
import io.partynet.core.testing.ManualScheduler;
import io.partynet.core.testing.TestMembers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A NAT rebinding gives a member a new public port that only the others can see: the member that
 * sees it signals it, the rebound member publishes it, and everybody's WireGuard follows.
 */
class NatRebindingTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private final ManualClock clock = ManualClock.startingAt("2026-01-02T00:00:00Z");
  private final InMemoryControlPlaneHub hub = new InMemoryControlPlaneHub(clock);
  private final List<AutoCloseable> toClose = new ArrayList<>();

  private final class Member {
    final ManualScheduler scheduler = new ManualScheduler();
    final FakeNetworkBackend backend = new FakeNetworkBackend("fake");
    final DefaultPartyManager manager;
    final InMemoryControlPlaneHub.Client plane;

    Member(String name, long seed, NatType nat, Endpoint mapped) {
      plane = hub.client();
      manager = TestMembers.builder(name, clock, scheduler, new InMemoryStatePersister(new InMemoryStatePersister.Disk()), seed)
          .controlPlane(plane)
          .network("fake", () -> backend)
          .natDetector(port -> CompletableFuture.completedFuture(new NatReport(nat, mapped, "test mapping")))
          .build();
      toClose.add(manager);
      toClose.add(plane);
    }

    Key keyOf(Member other) {
      Party party = manager.currentParty().orElseThrow();
      return Key.fromBase64(party.peers().get(other.manager.myPeerId()).publicKey());
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    hub.close();
  }

  @Test
  void aReboundPortSeenByAPeerIsPublishedAndFollowed() throws Exception {
    Endpoint aliceBefore = Endpoint.parse("203.0.113.10:51820");
    Endpoint aliceAfter = Endpoint.parse("203.0.113.10:40001");
    Member alice = new Member("alice", 1, NatType.FULL_CONE, aliceBefore);
    Member bob = new Member("bob", 2, NatType.FULL_CONE, Endpoint.parse("198.51.100.20:51820"));
    Party party = alice.manager.create("lan").get(5, TimeUnit.SECONDS);
    bob.manager.join(party.id(), "bob").get(5, TimeUnit.SECONDS);
    Key aliceKey = bob.keyOf(alice);
    assertEquals(aliceBefore, bob.backend.peers().get(aliceKey).endpoint());

    // Alice's NAT dropped its mapping; her packets now reach bob from a new port.
    clock.advance(Duration.ofSeconds(1));
    bob.backend.setStats(new PeerStats(aliceKey, aliceAfter, clock.instant(), 500, 500));
    bob.scheduler.tick();
    Eventually.until(WAIT, () -> bob.manager.status().join().peers().stream()
        .anyMatch(p -> p.peer().name().equals("alice") && p.peer().connectionType() == ConnectionType.DIRECT),
        "bob's link to alice is up");
    bob.scheduler.tick();

    Eventually.until(WAIT, () -> aliceAfter.equals(bob.backend.peers().get(aliceKey).endpoint()),
        () -> "bob's WireGuard follows alice's new port, has " + bob.backend.peers().get(aliceKey));
    Eventually.until(WAIT, () -> hub.party(party.id()).orElseThrow().peer(alice.manager.myPeerId()).endpoint()
        .equals(aliceAfter), "alice published her new endpoint");
  }

  @Test
  void anotherAddressOrASymmetricNatIsNotAdopted() throws Exception {
    Member carol = new Member("carol", 3, NatType.SYMMETRIC, Endpoint.parse("203.0.113.30:51820"));
    Member dave = new Member("dave", 4, NatType.OPEN, Endpoint.parse("198.51.100.40:51820"));
    Party party = carol.manager.create("lan").get(5, TimeUnit.SECONDS);
    dave.manager.join(party.id(), "dave").get(5, TimeUnit.SECONDS);
    Key carolKey = dave.keyOf(carol);
    List<Signal> toCarol = new java.util.concurrent.CopyOnWriteArrayList<>();
    // Registered after the manager's own listener, so it hears each signal after the manager queued it.
    carol.plane.addListener(new ControlPlaneListener() {
      @Override
      public void onSignal(Signal signal) {
        toCarol.add(signal);
      }
    });
    clock.advance(Duration.ofSeconds(1));
    // A symmetric NAT shows dave another port than its STUN mapping: that is normal, not a rebinding.
    dave.backend.setStats(new PeerStats(carolKey, Endpoint.parse("203.0.113.30:61000"), clock.instant(), 500, 500));
    dave.scheduler.tick();
    Eventually.until(WAIT, () -> dave.manager.status().join().peers().stream()
        .anyMatch(p -> p.peer().name().equals("carol") && p.peer().connectionType() == ConnectionType.DIRECT),
        "dave's link to carol is up");
    dave.scheduler.tick();
    Eventually.until(WAIT, () -> toCarol.stream().anyMatch(s -> s.type().equals(PartySignals.OBSERVED_ENDPOINT)
        && s.data().get(PartySignals.ENDPOINT_KEY).equals("203.0.113.30:61000")),
        () -> "dave tells carol where he sees her; carol got " + toCarol);
    carol.manager.status().get(5, TimeUnit.SECONDS); // carol's worker has handled the signal by now
    assertEquals(Endpoint.parse("203.0.113.30:51820"),
        hub.party(party.id()).orElseThrow().peer(carol.manager.myPeerId()).endpoint());
  }
}
