package io.partynet.core.internal.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Party;
import io.partynet.Peer;
import io.partynet.core.testing.Eventually;
import io.partynet.core.testing.FakeNetworkBackend;
import io.partynet.core.testing.InMemoryControlPlaneHub;
import io.partynet.core.testing.InMemoryStatePersister;
import io.partynet.core.testing.ManualClock;
import io.partynet.core.testing.ManualScheduler;
import io.partynet.core.testing.RecordingPartyListener;
import io.partynet.core.testing.TestMembers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A member restarted on the same home (same persisted state, same keys) resumes its party. */
class RecoveryTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private final ManualClock clock = ManualClock.startingAt("2026-01-02T00:00:00Z");
  private final InMemoryControlPlaneHub hub = new InMemoryControlPlaneHub(clock);
  private final List<AutoCloseable> toClose = new ArrayList<>();

  private record Run(DefaultPartyManager manager, FakeNetworkBackend backend, RecordingPartyListener events,
      InMemoryStatePersister persister) {}

  /** Starts a member on {@code disk} (its home) with the keys of {@code seed}. */
  private Run start(String name, long seed, InMemoryStatePersister.Disk disk) {
    FakeNetworkBackend backend = new FakeNetworkBackend();
    RecordingPartyListener events = new RecordingPartyListener();
    InMemoryStatePersister persister = new InMemoryStatePersister(disk);
    InMemoryControlPlaneHub.Client plane = hub.client();
    DefaultPartyManager manager = TestMembers.builder(name, clock, new ManualScheduler(), persister, seed)
        .controlPlane(plane).network("fake", () -> backend).listener(events).build();
    toClose.add(plane);
    toClose.add(manager);
    return new Run(manager, backend, events, persister);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    hub.close();
  }

  @Test
  void aRestartedMemberResumesItsPartyWithTheSameIdAndAddress() throws Exception {
    Run alice = start("alice", 1, new InMemoryStatePersister.Disk());
    InMemoryStatePersister.Disk bobHome = new InMemoryStatePersister.Disk();
    Run bob = start("bob", 2, bobHome);
    Party party = alice.manager().create("lan").get(10, TimeUnit.SECONDS);
    bob.manager().join(party.id(), "bob").get(10, TimeUnit.SECONDS);
    String bobId = bob.manager().myPeerId();
    String bobIp = hub.party(party.id()).orElseThrow().peer(bobId).virtualIp();

    bob.manager().close();
    Run bob2 = start("bob", 2, bobHome);

    assertEquals(bobId, bob2.manager().myPeerId(), "the peer id is stable per home");
    assertEquals(party.id(), bob2.manager().currentParty().orElseThrow().id(), "resumed at once from disk");
    bob2.events().await("partyJoined " + party.id());
    Eventually.until(WAIT, bob2.backend()::isUp, "the interface comes up again");
    assertEquals(bobIp + "/16", bob2.backend().interfaceConfig().address().toString());
    List<Peer> members = hub.party(party.id()).orElseThrow().peers();
    assertEquals(2, members.size(), "rejoining is idempotent: " + members);
    assertEquals(bobIp, hub.party(party.id()).orElseThrow().peer(bobId).virtualIp());
    assertTrue(bob2.backend().peers().containsKey(io.partynet.Key.fromBase64(
        hub.party(party.id()).orElseThrow().peer(alice.manager().myPeerId()).publicKey())));
  }

  @Test
  void aPartyThatVanishedWhileDownIsClearedWithAnEvent() throws Exception {
    Run alice = start("alice", 1, new InMemoryStatePersister.Disk());
    InMemoryStatePersister.Disk bobHome = new InMemoryStatePersister.Disk();
    Run bob = start("bob", 2, bobHome);
    Party party = alice.manager().create("lan").get(10, TimeUnit.SECONDS);
    bob.manager().join(party.id(), "bob").get(10, TimeUnit.SECONDS);
    bob.manager().close();
    alice.manager().leave().get(10, TimeUnit.SECONDS);

    Run bob2 = start("bob", 2, bobHome);

    bob2.events().await("partyDisbanded " + party.id() + " gone");
    assertTrue(bob2.manager().currentParty().isEmpty());
    assertFalse(bob2.backend().isUp());
    assertFalse(bobHome.entries().containsKey(MembershipStore.PARTY), "the stale party is cleared on disk");
    assertTrue(bobHome.entries().containsKey(MembershipStore.PEER_ID), "the peer id is kept");
  }

  @Test
  void aLeftPartyIsNotResumed() throws Exception {
    InMemoryStatePersister.Disk home = new InMemoryStatePersister.Disk();
    Run alice = start("alice", 1, home);
    alice.manager().create("lan").get(10, TimeUnit.SECONDS);
    alice.manager().leave().get(10, TimeUnit.SECONDS);
    alice.manager().close();

    Run again = start("alice", 1, home);
    assertTrue(again.manager().currentParty().isEmpty());
    assertEquals(0, hub.partyCount());
  }
}
