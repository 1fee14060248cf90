package io.partynet.server.internal.parties.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.InviteCode;
import io.partynet.InviteOptions;
import io.partynet.IpPrefix;
import io.partynet.PartyFullException;
import io.partynet.PartyInfo;
import io.partynet.PartyNotFoundException;
import io.partynet.Peer;
import io.partynet.core.internal.registry.RegistrySettings;
import io.partynet.server.internal.events.StoredEvent;
import io.partynet.server.internal.store.PostgresStore;
import io.partynet.server.internal.store.StoreLocation;
import io.partynet.server.testing.PostgresCluster;
import io.partynet.server.testing.PostgresDatabase;
import io.partynet.testing.Eventually;
import io.partynet.testing.ManualClock;
import io.partynet.testing.TestPeers;
import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Party changes through two "instances" (two stores with pools of their own, as two server
 * processes have) on one real PostgreSQL database: they take turns on the party's row, so
 * concurrent joins never exceed the size limit nor share a virtual IP, concurrent updates lose
 * nothing, and the sequence numbers are one gap-free series that the other instance reads back.
 */
class PartyTransactionsTest {
  private static final int MAX_PARTY_SIZE = 16;
  private static final RegistrySettings SETTINGS =
      new RegistrySettings(IpPrefix.parse("10.77.0.0/16"), MAX_PARTY_SIZE, Duration.ofSeconds(90));

  @RegisterExtension final PostgresDatabase db = new PostgresDatabase();
  private PostgresStore storeA;
  private PostgresStore storeB;
  private PartyTransactions instanceA;
  private PartyTransactions instanceB;
  private ExecutorService callers;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-05T12:00:00Z"));

  @BeforeEach
  void twoInstancesOnOneDatabase() throws IOException {
    storeA = (PostgresStore) location().open();
    storeB = (PostgresStore) location().open();
    instanceA = new PartyTransactions(storeA, SETTINGS, clock, new SecureRandom());
    instanceB = new PartyTransactions(storeB, SETTINGS, clock, new SecureRandom());
    callers = Executors.newFixedThreadPool(8);
  }

  @AfterEach
  void dropDatabase() throws InterruptedException {
    callers.shutdownNow();
    callers.awaitTermination(10, TimeUnit.SECONDS);
    storeA.close();
    storeB.close();
  }

  private StoreLocation.Postgres location() {
    return new StoreLocation.Postgres(db.jdbcUrl(), PostgresCluster.USER, null, 4);
  }

  private String createParty() {
    return instanceA.create((registry, hub) -> registry.createParty("lan", TestPeers.peer("host"))).value().partyId();
  }

  @Test
  void concurrentJoinsThroughTwoInstancesFillThePartyExactlyWithDistinctVirtualIps() throws Exception {
    String partyId = createParty();
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<PartyInfo>> joins = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      PartyTransactions via = i % 2 == 0 ? instanceA : instanceB;
      Peer joiner = TestPeers.peer("joiner" + i);
      joins.add(CompletableFuture.supplyAsync(() -> {
        awaitQuietly(go);
        return via.change(partyId, (registry, hub) -> registry.joinParty(partyId, joiner)).value();
      }, callers));
    }
    go.countDown();
    int joined = 0;
    for (CompletableFuture<PartyInfo> join : joins) {
      try {
        join.get(60, TimeUnit.SECONDS);
        joined++;
      } catch (ExecutionException e) {
        assertInstanceOf(PartyFullException.class, e.getCause(), "a refused join is refused as full");
      }
    }
    assertEquals(MAX_PARTY_SIZE - 1, joined, "the host plus exactly the joins that fit");

    PartyInfo party = instanceB.change(partyId, (registry, hub) -> registry.getParty(partyId).orElseThrow()).value();
    assertEquals(MAX_PARTY_SIZE, party.peers().size());
    Set<String> ips = new HashSet<>();
    party.peers().forEach(p -> ips.add(p.virtualIp()));
    assertEquals(MAX_PARTY_SIZE, ips.size(), "no virtual IP handed out twice: " + ips);

    List<StoredEvent> events = instanceB.eventsAfter(partyId, 0);
    assertEquals(LongStream.rangeClosed(1, MAX_PARTY_SIZE).boxed().toList(),
        events.stream().map(StoredEvent::seq).toList(), "one gap-free series of sequence numbers");
    for (Peer member : party.peers()) {
      assertTrue(events.stream().anyMatch(e -> e.frame().contains("\"" + member.id() + "\"")),
          "the join of " + member.id() + " is an event");
    }
  }

  @Test
  void concurrentUpdatesOfOnePartyThroughTwoInstancesLoseNoUpdate() throws Exception {
    String partyId = createParty();
    List<String> members = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String id = "member" + i;
      instanceA.change(partyId, (registry, hub) -> registry.joinParty(partyId, TestPeers.peer(id)));
      members.add(id);
    }
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<?>> updates = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      PartyTransactions via = i % 2 == 0 ? instanceA : instanceB;
      Peer updated = TestPeers.peer(members.get(i)).withLatencyMs(10.0 + i);
      updates.add(CompletableFuture.runAsync(() -> {
        awaitQuietly(go);
        via.change(partyId, (registry, hub) -> registry.updatePeer(partyId, updated));
      }, callers));
    }
    go.countDown();
    for (CompletableFuture<?> update : updates) {
      update.get(60, TimeUnit.SECONDS);
    }
    PartyInfo party = instanceA.change(partyId, (registry, hub) -> registry.getParty(partyId).orElseThrow()).value();
    for (int i = 0; i < members.size(); i++) {
      String id = members.get(i);
      Peer stored = party.peers().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
      assertEquals(10.0 + i, stored.latencyMs(), "the update of " + id + " survived the others");
    }
  }

  @Test
  void theOtherInstanceIsNotifiedAndReadsTheSameNumberedEvents() throws Exception {
    String partyId = createParty();
    ConcurrentLinkedQueue<PartyEventFeed.Notice> notices = new ConcurrentLinkedQueue<>();
    try (PartyEventFeed feed = PartyEventFeed.start(location(), notices::add, () -> { }, Duration.ofMillis(200))) {
      Eventually.until(Duration.ofSeconds(30), feed::listening, "the feed listens");
      List<StoredEvent> written = new ArrayList<>();
      written.addAll(instanceA.change(partyId,
          (registry, hub) -> registry.joinParty(partyId, TestPeers.peer("guest"))).events());
      written.addAll(instanceA.change(partyId, (registry, hub) -> {
        hub.signal(new io.partynet.spi.Signal(partyId, "guest", "host", "offer", java.util.Map.of("sdp", "x")));
        return null;
      }).events());
      long newest = written.get(written.size() - 1).seq();
      Eventually.until(Duration.ofSeconds(30),
          () -> notices.stream().anyMatch(n -> n.partyId().equals(partyId) && n.seq() == newest),
          () -> "instance B was told of seq " + newest + "; notices: " + notices);
      assertEquals(written, instanceB.eventsAfter(partyId, 1), "the same frames under the same numbers");
      assertEquals(Set.of("host"), written.get(1).recipients(), "a signal goes to its recipient only");
    }
  }

  @Test
  void aDisbandedPartyIsGoneForEveryInstanceButItsEventsStay() {
    String partyId = createParty();
    instanceA.change(partyId, (registry, hub) -> registry.joinParty(partyId, TestPeers.peer("guest")));
    instanceB.change(partyId, (registry, hub) -> {
      registry.disband(partyId, "host");
      return null;
    });
    assertThrows(PartyNotFoundException.class,
        () -> instanceA.change(partyId, (registry, hub) -> registry.joinParty(partyId, TestPeers.peer("late"))));
    List<StoredEvent> events = instanceA.eventsAfter(partyId, 0);
    assertEquals(List.of(1L, 2L, 3L), events.stream().map(StoredEvent::seq).toList());
    assertTrue(events.get(2).frame().contains("party-disbanded"), events.get(2).frame());
    assertEquals(Set.of("host", "guest"), events.get(2).recipients());
    assertFalse(instanceB.eventsAfter(partyId, 3).iterator().hasNext());
  }

  @Test
  void heartbeatsReachingEitherInstanceCountAndTheDeploymentCleansUpOnce() throws Exception {
    String partyId = createParty();
    instanceA.change(partyId, (registry, hub) -> registry.joinParty(partyId, TestPeers.peer("alice")));
    instanceA.change(partyId, (registry, hub) -> registry.joinParty(partyId, TestPeers.peer("bob")));
    clock.advance(Duration.ofSeconds(60));
    assertTrue(instanceA.heartbeat(partyId, "host"));
    assertTrue(instanceB.heartbeat(partyId, "alice"));
    assertFalse(instanceB.heartbeat(partyId, "stranger"), "not a member: nothing recorded");
    clock.advance(Duration.ofSeconds(60));

    try (Connection other = DriverManager.getConnection(db.jdbcUrl(), PostgresCluster.USER, null)) {
      other.setAutoCommit(false);
      try (Statement s = other.createStatement()) {
        s.execute("SELECT pg_advisory_xact_lock(" + PartyTransactions.CLEANUP_LOCK_KEY + ")");
      }
      PartyTransactions.CleanupRun skipped = instanceB.cleanupStale();
      assertFalse(skipped.ran(), "another instance's cleanup is running");
      assertEquals(List.of(), skipped.removedPeers());
      other.rollback();
    }
    PartyTransactions.CleanupRun run = instanceA.cleanupStale();
    assertTrue(run.ran());
    assertEquals(List.of("bob"), run.removedPeers(), "only the member heard from by no instance for 120 s");
    assertEquals(1, run.events().size());
    assertTrue(run.events().get(0).frame().contains("\"stale\""), run.events().get(0).frame());
    assertEquals(List.of(), instanceB.cleanupStale().removedPeers(), "removed once, not once per instance");

    clock.advance(Duration.ofSeconds(100));
    assertEquals(List.of(partyId), instanceB.cleanupStale().disbandedParties(), "a silent host ends the party");
    assertThrows(PartyNotFoundException.class,
        () -> instanceA.change(partyId, (registry, hub) -> registry.joinParty(partyId, TestPeers.peer("late"))));
  }

  @Test
  void aCodeDrawnByAnotherInstanceIsDrawnAgainAndEveryCodeIsFoundByIndex() {
    // Both "instances" draw the same codes in the same order, so each draw after the first collides
    // with the code the other drew just before: a party id with a party id, an invite code with a
    // party id, an invite code with an invite code.
    List<String> draws = new ArrayList<>();
    Random sameAsTheInstances = new Random(7);
    for (int i = 0; i < 4; i++) {
      draws.add(InviteCode.generate(sameAsTheInstances));
    }
    PartyTransactions drawsA = new PartyTransactions(storeA, SETTINGS, clock, new Random(7));
    PartyTransactions drawsB = new PartyTransactions(storeB, SETTINGS, clock, new Random(7));
    String partyA = drawsA.create((registry, hub) -> registry.createParty("a", TestPeers.peer("hostA"))).value().partyId();
    String partyB = drawsB.create((registry, hub) -> registry.createParty("b", TestPeers.peer("hostB"))).value().partyId();
    String inviteA = drawsA.change(partyA, (registry, hub) ->
        registry.createInvite(partyA, "hostA", InviteOptions.builder().build())).value().code();
    String inviteB = drawsB.change(partyB, (registry, hub) ->
        registry.createInvite(partyB, "hostB", InviteOptions.builder().build())).value().code();

    assertEquals(draws, List.of(partyA, partyB, inviteA, inviteB), "each collision was drawn again, once");
    PartyReads readsA = new PartyReads(storeA, SETTINGS, clock);
    PartyReads readsB = new PartyReads(storeB, SETTINGS, clock);
    for (PartyReads reads : List.of(readsA, readsB)) {
      assertEquals(partyA, reads.resolve(partyA));
      assertEquals(partyA, reads.resolve(inviteA));
      assertEquals(partyB, reads.resolve(partyB));
      assertEquals(partyB, reads.resolve(inviteB));
      assertThrows(PartyNotFoundException.class, () -> reads.resolve(InviteCode.generate(new Random(8))));
    }
    drawsB.change(partyB, (registry, hub) -> {
      registry.disband(partyB, "hostB");
      return null;
    });
    assertThrows(PartyNotFoundException.class, () -> readsA.resolve(inviteB), "the codes went with the party");
  }

  @Test
  void anInviteThatMakesRoomForANewOneStopsNamingTheParty() throws SQLException {
    String partyId = createParty();
    String usedUp = instanceA.change(partyId, (registry, hub) ->
        registry.createInvite(partyId, "host", InviteOptions.builder().maxUses(1).build())).value().code();
    instanceB.change(partyId, (registry, hub) -> registry.joinParty(usedUp, TestPeers.peer("guest")));
    for (int i = 1; i < 64; i++) {
      (i % 2 == 0 ? instanceA : instanceB).change(partyId, (registry, hub) ->
          registry.createInvite(partyId, "host", InviteOptions.builder().build()));
    }
    PartyReads reads = new PartyReads(storeA, SETTINGS, clock);
    assertEquals(partyId, reads.resolve(usedUp), "a used-up code still names its party");
    String newest = instanceB.change(partyId, (registry, hub) ->
        registry.createInvite(partyId, "host", InviteOptions.builder().build())).value().code();

    assertEquals(partyId, reads.resolve(newest));
    assertThrows(PartyNotFoundException.class, () -> reads.resolve(usedUp), "the 65th invite made room by dropping it");
    assertEquals(65, codeRows(partyId), "the party id and its 64 invite codes, no more");
  }

  private int codeRows(String partyId) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), PostgresCluster.USER, null);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM party_codes WHERE party_id = '" + partyId + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the start signal never came");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
