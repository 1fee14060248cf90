package io.partynet.core.internal.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Key;
import io.partynet.NotHostException;
import io.partynet.Party;
import io.partynet.PartyException;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.core.testing.Eventually;
import io.partynet.core.testing.FakeNetworkBackend;
import io.partynet.core.testing.InMemoryControlPlaneHub;
import io.partynet.core.testing.InMemoryStatePersister;
import io.partynet.core.testing.ManualClock;
import io.partynet.core.testing.ManualScheduler;
import io.partynet.core.testing.TestMembers;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of create / join / leave / kick / heartbeat by two managers sharing one control
 * plane. A simple model predicts each outcome (success or which typed error); after every step, once
 * events settle, the managers, their WireGuard peers, their persisted state and the control plane
 * agree.
 */
class ManagerStateMachinePropertiesTest {
  private static final Duration SETTLE = Duration.ofSeconds(5);

  enum Kind { CREATE, JOIN, LEAVE, KICK, HEARTBEAT }

  /** {@code actor} does {@code kind}; {@code other} is the target of JOIN and KICK. */
  record Step(Kind kind, int actor) {
    int other() {
      return 1 - actor;
    }

    @Override
    public String toString() {
      return kind + "(" + "AB".charAt(actor) + ")";
    }
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Step> step = Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 1))
        .as(Step::new);
    return step.list().ofMinSize(1).ofMaxSize(12);
  }

  private static final class Member {
    final InMemoryStatePersister persister = new InMemoryStatePersister();
    final FakeNetworkBackend backend = new FakeNetworkBackend();
    final ManualScheduler scheduler = new ManualScheduler();
    final InMemoryControlPlaneHub.Client plane;
    final DefaultPartyManager manager;

    Member(String name, long seed, InMemoryControlPlaneHub hub, ManualClock clock) {
      plane = hub.client();
      manager = TestMembers.builder(name, clock, scheduler, persister, seed)
          .controlPlane(plane).network("fake", () -> backend).build();
    }

    Optional<String> party() {
      return manager.currentParty().map(Party::id);
    }
  }

  @Property(tries = 40)
  void twoManagersStayConsistentWithTheControlPlane(@ForAll("steps") List<Step> steps) throws Exception {
    ManualClock clock = ManualClock.startingAt("2026-01-02T00:00:00Z");
    InMemoryControlPlaneHub hub = new InMemoryControlPlaneHub(clock);
    Member[] members = {new Member("alice", 1, hub, clock), new Member("bob", 2, hub, clock)};
    try {
      for (Step step : steps) {
        apply(step, members, hub);
        settle(members, hub, steps, step);
      }
    } finally {
      for (Member m : members) {
        m.manager.close();
        m.plane.close();
      }
      hub.close();
    }
  }

  private static void apply(Step step, Member[] members, InMemoryControlPlaneHub hub) throws Exception {
    Member actor = members[step.actor()];
    Member other = members[step.other()];
    Optional<String> mine = actor.party();
    switch (step.kind()) {
      case CREATE -> {
        if (mine.isPresent()) {
          expectFailure(actor.manager.create("p"), PartyException.Reason.ALREADY_IN_PARTY);
        } else {
          Party p = done(actor.manager.create("p"));
          assertTrue(p.isHost(actor.manager.myPeerId()));
        }
      }
      case JOIN -> {
        Optional<String> theirs = other.party();
        if (theirs.isEmpty()) {
          return;
        }
        if (mine.isPresent()) {
          expectFailure(actor.manager.join(theirs.get(), "j"), PartyException.Reason.ALREADY_IN_PARTY);
        } else {
          assertEquals(theirs.get(), done(actor.manager.join(theirs.get(), "j")).id());
        }
      }
      case LEAVE -> {
        if (mine.isEmpty()) {
          expectFailure(actor.manager.leave(), PartyException.Reason.NOT_IN_PARTY);
        } else {
          done(actor.manager.leave());
        }
      }
      case KICK -> {
        if (mine.isEmpty() || !mine.equals(other.party())) {
          return;
        }
        boolean host = hub.party(mine.get()).orElseThrow().hostId().equals(actor.manager.myPeerId());
        if (host) {
          done(actor.manager.kick(other.manager.myPeerId()));
        } else {
          Throwable e = failureOf(actor.manager.kick(other.manager.myPeerId()));
          assertInstanceOf(NotHostException.class, e);
        }
      }
      case HEARTBEAT -> actor.scheduler.tick();
      default -> throw new AssertionError(step);
    }
  }

  /** Waits until every member's view equals the control plane's, then checks the invariants. */
  private static void settle(Member[] members, InMemoryControlPlaneHub hub, List<Step> steps, Step at) {
    for (Member m : members) {
      Eventually.until(SETTLE, () -> consistent(m, hub),
          () -> "after " + at + " of " + steps + ": " + describe(m, hub));
      assertEquals(m.party(), m.persister.read(MembershipStore.PARTY_ID, String.class),
          "persisted party id equals the current one");
    }
    for (Member m : members) {
      m.party().ifPresent(id -> {
        PartyInfo info = hub.party(id).orElseThrow();
        assertTrue(info.peer(info.hostId()) != null, "the host is a member of its party");
        Set<String> ips = info.peers().stream().map(Peer::virtualIp).collect(Collectors.toSet());
        assertEquals(info.peers().size(), ips.size(), "virtual IPs are unique");
      });
    }
  }

  private static boolean consistent(Member m, InMemoryControlPlaneHub hub) {
    Optional<Party> party = m.manager.currentParty();
    Optional<PartyInfo> mine = hub.party(party.map(Party::id).orElse("0000-0000-0000"));
    if (party.isEmpty()) {
      return !m.backend.isUp() && m.backend.peers().isEmpty();
    }
    if (mine.isEmpty() || mine.get().peer(m.manager.myPeerId()) == null) {
      return false;
    }
    Set<String> expected = ids(mine.get().peers());
    Set<Key> expectedKeys = mine.get().peers().stream().filter(p -> !p.id().equals(m.manager.myPeerId()))
        .map(p -> Key.fromBase64(p.publicKey())).collect(Collectors.toSet());
    return expected.equals(ids(party.get().getPeerList()))
        && m.backend.isUp()
        && m.backend.peers().keySet().equals(expectedKeys);
  }

  private static String describe(Member m, InMemoryControlPlaneHub hub) {
    return "manager " + m.manager.myPeerId() + " sees " + m.manager.currentParty().map(p -> ids(p.getPeerList()))
        + ", control plane has " + m.party().flatMap(hub::party).map(i -> ids(i.peers()))
        + ", backend up=" + m.backend.isUp() + " peers=" + m.backend.peers().size();
  }

  private static Set<String> ids(List<Peer> peers) {
    return peers.stream().map(Peer::id).collect(Collectors.toCollection(TreeSet::new));
  }

  private static <T> T done(CompletableFuture<T> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
    try {
      future.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  private static void expectFailure(CompletableFuture<?> future, PartyException.Reason reason) throws Exception {
    Throwable e = failureOf(future);
    assertEquals(reason, assertInstanceOf(PartyException.class, e).reason(), e::toString);
  }
}
