package io.partynet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Key;
import io.partynet.NotHostException;
import io.partynet.Party;
import io.partynet.PartyException;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.testing.Eventually;
import io.partynet.testing.ManagerHarness;
import io.partynet.testing.ManagerHarness.Member;
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
 * Random sequences of create / join / leave / kick / heartbeat by two managers on the real local
 * control plane. A simple model predicts each outcome (success or which typed error); after every
 * step, once events settle, the managers, their WireGuard peers, their persisted state and the
 * control plane agree.
 */
class ManagerStateMachinePropertiesTest {
  private static final Duration SETTLE = Duration.ofSeconds(10);

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

  /** One manager and the persister it writes to. */
  private record Actor(Member member, InMemoryStatePersister persister) {
    Optional<String> party() {
      return member.manager().currentParty().map(Party::id);
    }
  }

  @Property(tries = 40)
  void twoManagersStayConsistentWithTheControlPlane(@ForAll("steps") List<Step> steps) throws Exception {
    LocalPlane plane = new LocalPlane();
    ManagerHarness members = ManagerHarness.on(plane);
    plane.attach(members);
    try {
      Actor[] actors = {actor(members, "alice"), actor(members, "bob")};
      for (Step step : steps) {
        apply(step, actors, plane, members);
        settle(actors, plane, steps, step);
      }
    } finally {
      members.closeAll();
    }
  }

  /** Heartbeats run fast, so a HEARTBEAT step can wait for one to land. */
  private static Actor actor(ManagerHarness members, String name) {
    InMemoryStatePersister persister = new InMemoryStatePersister();
    Member member = members.member(name).statePersister(persister)
        .config(c -> c.heartbeatInterval(ManagerHarness.FAST_HEARTBEAT)).start();
    return new Actor(member, persister);
  }

  private static void apply(Step step, Actor[] actors, LocalPlane plane, ManagerHarness members) throws Exception {
    Actor actor = actors[step.actor()];
    Actor other = actors[step.other()];
    Optional<String> mine = actor.party();
    switch (step.kind()) {
      case CREATE -> {
        if (mine.isPresent()) {
          expectFailure(actor.member().manager().create("p"), PartyException.Reason.ALREADY_IN_PARTY);
        } else {
          Party p = done(actor.member().manager().create("p"));
          assertTrue(p.isHost(actor.member().id()));
        }
      }
      case JOIN -> {
        Optional<String> theirs = other.party();
        if (theirs.isEmpty()) {
          return;
        }
        if (mine.isPresent()) {
          expectFailure(actor.member().manager().join(theirs.get(), "j"), PartyException.Reason.ALREADY_IN_PARTY);
        } else {
          assertEquals(theirs.get(), done(actor.member().manager().join(theirs.get(), "j")).id());
        }
      }
      case LEAVE -> {
        if (mine.isEmpty()) {
          expectFailure(actor.member().manager().leave(), PartyException.Reason.NOT_IN_PARTY);
        } else {
          done(actor.member().manager().leave());
        }
      }
      case KICK -> {
        if (mine.isEmpty() || !mine.equals(other.party())) {
          return;
        }
        boolean host = plane.party(mine.get()).orElseThrow().hostId().equals(actor.member().id());
        if (host) {
          done(actor.member().manager().kick(other.member().id()));
        } else {
          Throwable e = failureOf(actor.member().manager().kick(other.member().id()));
          assertInstanceOf(NotHostException.class, e);
        }
      }
      case HEARTBEAT -> {
        if (mine.isPresent()) {
          members.clock().advance(Duration.ofSeconds(1));
          String partyId = mine.get();
          Eventually.until(SETTLE, () -> members.clock().instant().equals(
              plane.lastSeen(partyId, actor.member().id()).orElse(null))
              || actor.party().isEmpty() || plane.party(partyId).isEmpty(), "a heartbeat lands");
        }
      }
      default -> throw new AssertionError(step);
    }
  }

  /** Waits until every member's view equals the control plane's, then checks the invariants. */
  private static void settle(Actor[] actors, LocalPlane plane, List<Step> steps, Step at) {
    for (Actor a : actors) {
      Eventually.until(SETTLE, () -> consistent(a, plane), () -> "after " + at + " of " + steps + ": " + describe(a, plane));
      assertEquals(a.party(), a.persister().read(MembershipContract.PARTY_ID_KEY, String.class),
          "persisted party id equals the current one");
    }
    for (Actor a : actors) {
      a.party().ifPresent(id -> {
        PartyInfo info = plane.party(id).orElseThrow();
        assertTrue(info.peer(info.hostId()) != null, "the host is a member of its party");
        Set<String> ips = info.peers().stream().map(Peer::virtualIp).collect(Collectors.toSet());
        assertEquals(info.peers().size(), ips.size(), "virtual IPs are unique");
      });
    }
  }

  private static boolean consistent(Actor a, LocalPlane plane) {
    Member m = a.member();
    Optional<Party> party = m.manager().currentParty();
    if (party.isEmpty()) {
      return !m.backend().isUp() && m.backend().peers().isEmpty();
    }
    Optional<PartyInfo> onPlane = plane.party(party.get().id());
    if (onPlane.isEmpty() || onPlane.get().peer(m.id()) == null) {
      return false;
    }
    Set<Key> expectedKeys = onPlane.get().peers().stream().filter(p -> !p.id().equals(m.id()))
        .map(p -> Key.fromBase64(p.publicKey())).collect(Collectors.toSet());
    return ids(onPlane.get().peers()).equals(ids(party.get().getPeerList()))
        && m.backend().isUp()
        && m.backend().peers().keySet().equals(expectedKeys);
  }

  private static String describe(Actor a, LocalPlane plane) {
    Member m = a.member();
    return "manager " + m.id() + " sees " + m.manager().currentParty().map(p -> ids(p.getPeerList()))
        + ", control plane has " + a.party().flatMap(plane::party).map(i -> ids(i.peers()))
        + ", backend up=" + m.backend().isUp() + " peers=" + m.backend().peers().size();
  }

  private static Set<String> ids(List<Peer> peers) {
    return peers.stream().map(Peer::id).collect(Collectors.toCollection(TreeSet::new));
  }

  private static <T> T done(CompletableFuture<T> future) throws Exception {
    return future.get(20, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
    try {
      future.get(20, TimeUnit.SECONDS);
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
