package io.partynet.server.internal;

import io.partynet.server.internal.store.StoreLocation;
import io.partynet.testing.ControlPlaneEventRecorder;
import static io.partynet.server.internal.ServerFixture.peer;
import static io.partynet.server.internal.ServerFixture.randomKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Endpoint;
import io.partynet.Key;
import io.partynet.Peer;
import io.partynet.remote.internal.RemoteControlPlaneClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded load on loopback: 200 real clients in 40 parties; every guest joins, heartbeats, moves
 * its endpoint and leaves, over and over, for a fixed time. Each host must see exactly the
 * sequence of events its guests caused, with no error anywhere. The build runs it on SQLite and again
 * on {@code --shared} PostgreSQL with a pool of {@value #DATABASE_POOL} (about 15 s more on an idle machine).
 */
class LoadTest {
  private static final int PARTIES = 40;
  private static final int GUESTS_PER_PARTY = 4;
  private static final Duration RUN = Duration.ofSeconds(10);
  /**
   * On PostgreSQL: the 240 clients keep up to ~240 requests open, and with the fixture's pool of 4
   * nearly all of them waited inside the server for a connection until the in-flight bound (200)
   * answered 429 and the clients' four attempts ran out. A pool near the database work in flight
   * is what an operator would configure for this load (docs/server.md, load benchmark).
   */
  private static final int DATABASE_POOL = 16;
  private static final Executor PACE = CompletableFuture.delayedExecutor(40, TimeUnit.MILLISECONDS);

  @TempDir Path dir;
  ServerFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    fx = new ServerFixture(dir, b -> {
      if (b.storeLocation() instanceof StoreLocation.Postgres pg) {
        b.store(new StoreLocation.Postgres(pg.jdbcUrl(), pg.user(), pg.password(), DATABASE_POOL));
      }
    });
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private record Guest(String id, Key key, RemoteControlPlaneClient client, String party, List<String> expected) {}

  @Test
  void churnWithoutLostEventsOrErrors() {
    List<ControlPlaneEventRecorder> hostEvents = new ArrayList<>();
    List<Guest> guests = new ArrayList<>();
    List<CompletableFuture<?>> starts = new ArrayList<>();
    List<RemoteControlPlaneClient> hosts = new ArrayList<>();
    String[] partyIds = new String[PARTIES];
    for (int p = 0; p < PARTIES; p++) {
      Key key = randomKey();
      RemoteControlPlaneClient host = fx.client();
      ControlPlaneEventRecorder events = new ControlPlaneEventRecorder();
      host.addListener(events);
      hostEvents.add(events);
      hosts.add(host);
      int index = p;
      starts.add(host.start("host" + p, key).thenCompose(v -> host.createParty("load " + index, peer("host" + index, key)))
          .thenAccept(info -> partyIds[index] = info.partyId()));
    }
    CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
    ServerFixture.await("hosts connected", Duration.ofSeconds(30),
        () -> hosts.stream().allMatch(RemoteControlPlaneClient::isConnected));
    starts.clear();
    for (int p = 0; p < PARTIES; p++) {
      for (int g = 0; g < GUESTS_PER_PARTY; g++) {
        String id = "guest" + p + "x" + g;
        Key key = randomKey();
        RemoteControlPlaneClient client = fx.client();
        guests.add(new Guest(id, key, client, partyIds[p], Collections.synchronizedList(new ArrayList<>())));
        starts.add(client.start(id, key));
      }
    }
    CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();

    AtomicInteger operations = new AtomicInteger();
    Map<String, Throwable> errors = new ConcurrentHashMap<>();
    long deadline = System.nanoTime() + RUN.toNanos();
    List<CompletableFuture<Void>> loops = new ArrayList<>();
    for (Guest guest : guests) {
      loops.add(cycle(guest, 0, deadline, operations).exceptionally(e -> {
        errors.put(guest.id, e);
        return null;
      }));
    }
    CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
    assertTrue(errors.isEmpty(), "errors: " + errors);

    for (int p = 0; p < PARTIES; p++) {
      String party = partyIds[p];
      ControlPlaneEventRecorder events = hostEvents.get(p);
      List<Guest> mine = guests.stream().filter(g -> g.party.equals(party)).toList();
      int expectedCount = mine.stream().mapToInt(g -> g.expected.size()).sum();
      ServerFixture.await("host of " + party + " sees all " + expectedCount + " events", Duration.ofSeconds(30),
          () -> events.count(e -> e.contains(" guest")) >= expectedCount);
      for (Guest g : mine) {
        List<String> seen = events.partyEvents().stream()
            .filter(e -> e.contains(" " + g.id + " ") || e.endsWith(" " + g.id)).toList();
        assertEquals(g.expected, seen, "events about " + g.id);
      }
    }
    assertTrue(operations.get() > guests.size() * 3, "the load ran: " + operations.get() + " operations");
    assertEquals(PARTIES, fx.server.stats().parties());
  }

  /** One join / heartbeat / update / leave round, then the next until the deadline. */
  private CompletableFuture<Void> cycle(Guest g, int round, long deadline, AtomicInteger operations) {
    if (System.nanoTime() > deadline) {
      return CompletableFuture.completedFuture(null);
    }
    Peer self = peer(g.id, g.key);
    Endpoint endpoint = new Endpoint("198.51.100." + (1 + round % 250), 10_000 + round);
    return g.client.joinParty(g.party, self)
        .thenRun(() -> g.expected.add("peerJoined " + g.party + " " + g.id))
        .thenComposeAsync(v -> g.client.heartbeat(g.party, g.id), PACE)
        .thenCompose(v -> g.client.updatePeer(g.party, self.withEndpoint(endpoint)))
        .thenRun(() -> g.expected.add("peerUpdated " + g.party + " " + g.id + " " + endpoint))
        .thenComposeAsync(v -> g.client.leaveParty(g.party, g.id), PACE)
        .thenRun(() -> g.expected.add("peerLeft " + g.party + " " + g.id + " left"))
        .thenRun(() -> operations.addAndGet(4))
        .thenCompose(v -> cycle(g, round + 1, deadline, operations));
  }
}
