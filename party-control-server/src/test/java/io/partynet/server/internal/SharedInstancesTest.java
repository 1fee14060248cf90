package io.partynet.server.internal;

import static io.partynet.server.internal.ServerFixture.peer;
import static io.partynet.server.internal.ServerFixture.randomKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Key;
import io.partynet.server.internal.ServerListMembers.Member;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.protocol.internal.EventMessage;
import io.partynet.protocol.internal.PartyResponse;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.protocol.internal.RegisterResponse;
import io.partynet.server.internal.accounts.SharedAccounts;
import io.partynet.server.testing.PostgresDatabase;
import io.partynet.spi.Signal;
import io.partynet.testing.ControlPlaneEventRecorder;
import io.partynet.testing.Eventually;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two and three real servers (child JVMs) started with {@code --shared} on one real PostgreSQL
 * database, all active: members connected to different instances (one per instance) form one party
 * and see everything in order under the same sequence numbers; concurrent joins through every
 * instance respect the size limit and never hand out a virtual IP twice; SIGKILL of one instance in
 * the middle of joins loses no acknowledged join, and its clients ({@code control.server-urls})
 * move to another instance and resume there without a snapshot, while a member on a surviving
 * instance sees every join. Each test runs with two and with three instances. Budget: about 45 s
 * (fifteen server JVMs started, each test's servers at once; no fixed waits).
 */
class SharedInstancesTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  @RegisterExtension final PostgresDatabase db = new PostgresDatabase();
  private final ServerListMembers members = new ServerListMembers(WAIT);
  private final List<RawApi> apis = new ArrayList<>();
  private final List<ServerProcess> servers = new ArrayList<>();

  @AfterEach
  void cleanUp() throws InterruptedException {
    members.close();
    apis.forEach(RawApi::close);
    for (ServerProcess s : servers) {
      s.close();
    }
  }

  private Member member(String id, List<URI> servers) {
    return members.start(id, servers);
  }

  /** {@code count} instances on the test's database, launched together and each waited for. */
  private List<ServerProcess> instances(int count, String... extra) throws Exception {
    List<ServerProcess> started = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<String> args = new ArrayList<>(List.of("--store", db.storeUrl(), "--shared"));
      args.addAll(List.of(extra));
      ServerProcess process = new ServerProcess(Files.createDirectories(dir.resolve("instance" + i)),
          args.toArray(String[]::new));
      process.port = freePort();
      servers.add(process);
      started.add(process.launch());
    }
    for (ServerProcess s : started) {
      s.awaitListening(WAIT);
    }
    return started;
  }

  private RawApi api(ServerProcess server) {
    RawApi api = new RawApi(server.port);
    apis.add(api);
    return api;
  }

  private static URI uri(ServerProcess server) {
    return URI.create("http://127.0.0.1:" + server.port);
  }

  /** Every instance's URL, starting with instance {@code first} (the order a client tries them in). */
  private static List<URI> startingAt(List<ServerProcess> instances, int first) {
    List<URI> urls = new ArrayList<>();
    for (int i = 0; i < instances.size(); i++) {
      urls.add(uri(instances.get((first + i) % instances.size())));
    }
    return urls;
  }

  @ParameterizedTest(name = "{0} instances")
  @ValueSource(ints = {2, 3})
  void membersOnDifferentInstancesSeeEachOthersChangesInOrderUnderOneNumbering(int count) throws Exception {
    List<ServerProcess> instances = instances(count);
    // One member per instance (with two instances carol shares the host's).
    Member host = member("host", List.of(uri(instances.get(0))));
    Member guest = member("guest", List.of(uri(instances.get(1))));
    Member carol = member("carol", List.of(uri(instances.get(2 % count))));
    String party = host.client().createParty("shared", peer("host", host.key())).join().partyId();

    PartyInfo joined = guest.client().joinParty(party, peer("guest", guest.key())).join();
    host.events().await("peerJoined " + party + " guest", WAIT);
    guest.client().updatePeer(party, joined.peer("guest").withLatencyMs(12.0)).join();
    host.events().await("peerUpdated " + party + " guest null", WAIT);
    host.client().signal(new Signal(party, "host", "guest", "offer", Map.of("n", "1"))).join();
    guest.events().await("signal " + party + " host offer", WAIT);
    guest.client().signal(new Signal(party, "guest", "host", "answer", Map.of("n", "2"))).join();
    host.events().await("signal " + party + " guest answer", WAIT);
    carol.client().joinParty(party, peer("carol", carol.key())).join();
    guest.events().await("peerJoined " + party + " carol", WAIT);
    carol.client().signal(new Signal(party, "carol", "guest", "offer", Map.of("n", "3"))).join();
    guest.events().await("signal " + party + " carol offer", WAIT);
    guest.client().updatePeer(party, joined.peer("guest").withLatencyMs(20.0)).join();
    carol.events().await("peerUpdated " + party + " guest null", WAIT);
    carol.client().leaveParty(party, "carol").join();
    guest.events().await("peerLeft " + party + " carol left", WAIT);
    host.events().await("peerLeft " + party + " carol left", WAIT);

    assertEquals(List.of("peerJoined " + party + " guest", "peerUpdated " + party + " guest null",
        "signal " + party + " guest answer", "peerJoined " + party + " carol", "peerUpdated " + party + " guest null",
        "peerLeft " + party + " carol left"),
        about(host.events(), "guest", "carol"), "the host (on instance 0) sees the others' changes once each, in order");
    assertEquals(List.of("signal " + party + " host offer", "peerJoined " + party + " carol",
        "signal " + party + " carol offer", "peerLeft " + party + " carol left"), about(guest.events(), "host", "carol"),
        "the guest (on instance 1) sees the others' changes once each, in order");
    assertEquals(List.of("peerUpdated " + party + " guest null"), about(carol.events(), "guest"),
        "carol (on instance " + (2 % count) + ") sees the guest's change after her join once");

    // One numbering for the deployment: every instance answers the same party at the same number,
    // and replays the same numbered events to a member who resumes on any of them.
    guest.client().close();
    String guestToken = reRegister(instances.get(1), "guest", guest.key());
    PartyResponse first = null;
    List<EventMessage> firstReplay = null;
    for (ServerProcess instance : instances) {
      PartyResponse via = api(instance).send("GET", Protocol.party(party), guestToken, null).as(PartyResponse.class);
      List<EventMessage> replay = RawEventStream.resume(instance.port, guestToken, Map.of(party, 1L), WAIT);
      assertTrue(replay.stream().noneMatch(e -> e.type().equals(Protocol.EVENT_SNAPSHOT)),
          "nothing was lost, so no snapshot: " + replay);
      List<Long> numbers = replay.stream().filter(e -> e.seq() != null).map(EventMessage::seq).toList();
      assertEquals(numbers.stream().sorted().distinct().toList(), numbers, "strictly increasing: " + numbers);
      assertEquals(via.seq(), numbers.get(numbers.size() - 1), "the replay ends at the party's number");
      if (first == null) {
        first = via;
        firstReplay = replay;
      } else {
        assertEquals(first.seq(), via.seq());
        assertEquals(first.party(), via.party());
        assertEquals(firstReplay, replay, "the same events under the same numbers on every instance");
      }
    }
  }

  @ParameterizedTest(name = "{0} instances")
  @ValueSource(ints = {2, 3})
  void concurrentJoinsThroughEveryInstanceRespectTheSizeLimitAndNeverShareAVirtualIp(int count) throws Exception {
    int maxPartySize = 6;
    int joiners = 14;
    List<RawApi> via = new ArrayList<>();
    for (ServerProcess instance : instances(count, "--max-party-size", String.valueOf(maxPartySize))) {
      via.add(api(instance));
    }
    Key hostKey = randomKey();
    String hostToken = via.get(0).register("host", hostKey);
    String party = via.get(0).createParty(hostToken, "crowded", "host", hostKey);
    Map<String, Key> keys = new ConcurrentHashMap<>();
    Map<String, String> tokens = new ConcurrentHashMap<>();
    for (int i = 0; i < joiners; i++) {
      String id = "joiner" + i;
      keys.put(id, randomKey());
      // The challenge from one instance, the registration at the next: challenges are the deployment's.
      RawApi.Answer registered = via.get((i + 1) % count).send("POST", Protocol.PEERS, null, ProtocolJson.write(
          via.get(i % count).provenRequest(id, keys.get(id), ServerFixture.privateKeyOf(keys.get(id)))));
      assertEquals(201, registered.status(), registered.toString());
      tokens.put(id, registered.as(RegisterResponse.class).token());
    }
    ExecutorService pool = Executors.newFixedThreadPool(joiners);
    Map<String, RawApi.Answer> answers = new ConcurrentHashMap<>();
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < joiners; i++) {
        String id = "joiner" + i;
        // Registered on one instance, joining through another: tokens are the deployment's.
        RawApi through = via.get((i + 2) % count);
        calls.add(pool.submit(() -> {
          go.await();
          answers.put(id, through.join(tokens.get(id), party, id, keys.get(id)));
          return null;
        }));
      }
      go.countDown();
      for (Future<?> call : calls) {
        call.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    Set<String> admitted = new HashSet<>();
    answers.forEach((id, answer) -> {
      if (answer.status() == 200) {
        admitted.add(id);
      } else {
        assertEquals("PARTY_FULL", answer.code(), id + ": " + answer);
      }
    });
    assertEquals(maxPartySize - 1, admitted.size(), "admitted: " + admitted);
    admitted.add("host");
    for (RawApi api : via) {
      PartyInfo now = api.send("GET", Protocol.party(party), hostToken, null).as(PartyResponse.class).party();
      assertEquals(maxPartySize, now.peers().size(), now.toString());
      Set<String> ids = new HashSet<>();
      Set<String> ips = new HashSet<>();
      for (Peer p : now.peers()) {
        ids.add(p.id());
        ips.add(p.virtualIp());
      }
      assertEquals(maxPartySize, ips.size(), "one virtual IP each: " + now);
      assertEquals(admitted, ids);
    }
  }

  @ParameterizedTest(name = "{0} instances")
  @ValueSource(ints = {2, 3})
  void aSigkilledInstanceLosesNoAcknowledgedJoinAndItsClientsResumeOnAnother(int count) throws Exception {
    List<ServerProcess> instances = instances(count);
    ServerProcess doomed = instances.get(0);
    // The host and the guest are on the doomed instance and fail over in different orders (with three
    // instances, to different survivors); the watcher is on the last instance throughout.
    Member host = member("host", startingAt(instances, 0));
    List<URI> guestOrder = new ArrayList<>(startingAt(instances, 0));
    Collections.reverse(guestOrder.subList(1, guestOrder.size()));
    Member guest = member("guest", guestOrder);
    Member watcher = member("watcher", List.of(uri(instances.get(count - 1))));
    String party = host.client().createParty("survivor", peer("host", host.key())).join().partyId();
    guest.client().joinParty(party, peer("guest", guest.key())).join();
    watcher.client().joinParty(party, peer("watcher", watcher.key())).join();
    host.events().await("peerJoined " + party + " watcher", WAIT);
    guest.events().await("peerJoined " + party + " watcher", WAIT);
    List<Member> joiners = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      joiners.add(member("joiner" + i, startingAt(instances, 0)));
    }

    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    CountDownLatch threeIn = new CountDownLatch(3);
    ExecutorService joining = Executors.newSingleThreadExecutor();
    Future<?> all = joining.submit(() -> {
      for (Member j : joiners) {
        // A join whose answer died with the instance is repeated (same client, next URL) until answered.
        Eventually.until(WAIT, () -> joined(j, party), j.id() + " joins");
        acknowledged.add(j.id());
        threeIn.countDown();
      }
      return null;
    });
    try {
      assertTrue(threeIn.await(WAIT.toSeconds(), TimeUnit.SECONDS), "three joins acknowledged before the kill");
      doomed.kill();
      all.get(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
    } finally {
      joining.shutdownNow();
    }

    Eventually.until(WAIT, () -> host.client().isConnected() && guest.client().isConnected(),
        "the host's and the guest's event streams back, on another instance");
    AtomicReference<PartyInfo> after = new AtomicReference<>();
    Eventually.until(WAIT, () -> {
      try {
        after.set(host.client().getParty(party).join().orElse(null));
        return after.get() != null;
      } catch (CompletionException e) {
        return false;
      }
    }, "the party through a survivor");
    Set<String> members = new HashSet<>();
    after.get().peers().forEach(p -> members.add(p.id()));
    assertTrue(members.containsAll(acknowledged), "every acknowledged join survives: " + acknowledged + " in " + members);
    assertEquals(joiners.size() + 3, members.size(), members.toString());
    for (Member j : joiners) {
      for (Member m : List.of(host, guest, watcher)) {
        m.events().await("peerJoined " + party + " " + j.id(), WAIT);
      }
    }
    for (Member m : List.of(host, guest, watcher)) {
      assertEquals(List.of(), m.events().snapshots(), m.id() + ": the survivors replayed what was missed, no snapshot");
      assertEquals(1, m.events().count(e -> e.equals("peerJoined " + party + " " + joiners.get(7).id())),
          m.id() + ": each join once: " + m.events().events());
    }
  }

  private static boolean joined(Member j, String party) {
    try {
      j.client().joinParty(party, peer(j.id(), j.key())).join();
      return true;
    } catch (CompletionException e) {
      return false;
    }
  }

  /** The lines of {@code events} about the given peers (as sender, subject or joiner), in order. */
  private static List<String> about(ControlPlaneEventRecorder events, String... peers) {
    return events.partyEvents().stream()
        .filter(e -> {
          for (String p : peers) {
            if (e.contains(" " + p + " ") || e.endsWith(" " + p)) {
              return true;
            }
          }
          return false;
        }).toList();
  }

  /**
   * Instances cache the tokens they looked up; replacing a token through one instance must still
   * end the old one on the others (their caches are told through NOTIFY), not a cache lifetime later.
   */
  @org.junit.jupiter.api.Test
  void aTokenReplacedThroughOneInstanceStopsWorkingOnTheOther() throws Exception {
    List<ServerProcess> instances = instances(2);
    Key key = randomKey();
    String old = api(instances.get(0)).register("alice", key);
    RawApi other = api(instances.get(1));
    assertEquals(200, other.send("GET", Protocol.ME, old, null).status(), "the token works on the other instance (and is cached there)");
    assertEquals(200, other.send("GET", Protocol.ME, old, null).status());

    String fresh = reRegister(instances.get(0), "alice", key);

    Eventually.until(Duration.ofMillis(SharedAccounts.TOKEN_TTL.toMillis() / 2),
        () -> other.send("GET", Protocol.ME, old, null).status() == 401,
        "the replaced token is refused by the other instance well within the cache's lifetime");
    assertEquals(200, other.send("GET", Protocol.ME, fresh, null).status(), "the new token works there");
  }

  private String reRegister(ServerProcess via, String peerId, Key key) {
    return api(via).register(peerId, key);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
