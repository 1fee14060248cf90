package io.partynet.server.bench;

import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.NatType;
import io.partynet.Peer;
import io.partynet.core.internal.registry.RegistrySettings;
import io.partynet.protocol.internal.CreatePartyRequest;
import io.partynet.protocol.internal.EventMessage;
import io.partynet.protocol.internal.PartyResponse;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.core.internal.keys.WireGuardKeyPair;
import io.partynet.core.internal.keys.WireGuardKeys;
import io.partynet.protocol.internal.ChallengeResponse;
import io.partynet.protocol.internal.KeyProof;
import io.partynet.protocol.internal.RegisterRequest;
import io.partynet.protocol.internal.RegisterResponse;
import io.partynet.protocol.internal.ResumeMessage;
import io.partynet.server.internal.ControlServer;
import io.partynet.server.internal.StoreLocation;
import io.partynet.server.testing.PostgresCluster;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Load benchmark of party-control-server on loopback (not a test). For 1,000 and 10,000 simulated
 * peers in parties of five, it prints heartbeats per second, join latency p50/p99, event fan-out
 * latency p50/p99 (from an update request leaving the client until each other member's WebSocket
 * has the event) and the server's heap per party. Simulated peers are async OkHttp requests and
 * JDK WebSockets, so thousands fit in one JVM; the server runs in-process with rate limits
 * lifted. Run:
 *
 * <pre>
 * ./mvnw -q -o -pl party-control-server -am test-compile
 * java -cp "party-control-server/target/test-classes:party-control-server/target/classes:$(cat cp.txt)" \
 *   io.partynet.server.bench.ControlPlaneBenchmark [peers...]
 * </pre>
 * (docs/server.md has the exact command.) Bounded: about a minute per size. With
 * {@code -Dpartynet.bench.stores=postgresql-shared2} two {@code --shared} instances run in this JVM on
 * one database, each peer talking to one of them, so fan-out crosses instances through the database
 * (the heap figure then covers both instances' copies).
 */
public final class ControlPlaneBenchmark {
  private static final int PARTY_SIZE = 5;
  private static final int IN_FLIGHT = 128;
  private static final int MAX_WEBSOCKETS = 4000;
  private static final Duration HEARTBEAT_PHASE = Duration.ofSeconds(8);
  private static final int FANOUT_UPDATES = 2000;
  private static final MediaType JSON = MediaType.get("application/json");

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).executor(Executors.newFixedThreadPool(8)).build();
  private final OkHttpClient rest = restClient();
  private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
  /** The servers' base URLs; with two, each peer's requests and event stream go to one of them by its token. */
  private String[] bases;
  private final AtomicLong unauthenticated = new AtomicLong();

  private static OkHttpClient restClient() {
    OkHttpClient client = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(30))
        .connectionPool(new ConnectionPool(IN_FLIGHT, 1, TimeUnit.MINUTES)).build();
    client.dispatcher().setMaxRequests(IN_FLIGHT);
    client.dispatcher().setMaxRequestsPerHost(IN_FLIGHT);
    return client;
  }

  private record SimPeer(String id, Key key, String token) {}

  private ControlPlaneBenchmark() {}

  public static void main(String[] args) throws Exception {
    int[] sizes = args.length == 0 ? new int[] {1_000, 10_000} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    // PARTYNET_BENCH_STORES=sqlite,postgresql (or -Dpartynet.bench.stores=...) runs every size on each store in this one run
    // (PostgreSQL: a throwaway cluster from the Debian package, as in the tests).
    List<String> stores = List.of(System.getProperty("partynet.bench.stores",
        System.getenv().getOrDefault("PARTYNET_BENCH_STORES", "sqlite")).split(","));
    System.out.printf("%-10s %8s %12s %10s %10s %12s %12s %14s%n", "store", "peers", "heartbeat/s", "join p50",
        "join p99", "fanout p50", "fanout p99", "heap/party");
    for (String store : stores) {
      for (int peers : sizes) {
        new ControlPlaneBenchmark().run(peers, store.strip());
      }
    }
    System.exit(0);
  }

  private static StoreLocation storeFor(String store, Path dir) {
    if (store.equals("sqlite")) {
      return new StoreLocation.Sqlite(dir.resolve("bench.db"));
    }
    if (!store.startsWith("postgresql")) {
      throw new IllegalArgumentException("partynet.bench.stores takes sqlite, postgresql and postgresql-shared2: "
          + store);
    }
    PostgresCluster cluster = PostgresCluster.shared();
    return new StoreLocation.Postgres(cluster.jdbcUrl(cluster.createDatabase()), PostgresCluster.USER, null, 10);
  }

  private void run(int peerCount, String store) throws Exception {
    Path dir = Files.createTempDirectory("partynet-bench");
    // postgresql-shared2: two --shared instances in this JVM on one database, the peers spread over both.
    int instances = store.equals("postgresql-shared2") ? 2 : 1;
    StoreLocation location = storeFor(store, dir);
    List<ControlServer> servers = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      servers.add(ControlServer.builder().host("127.0.0.1").port(0).store(location).shared(instances > 1)
          .registrySettings(new RegistrySettings(IpPrefix.parse("10.77.0.0/16"), 16, Duration.ofMinutes(10)))
          .addressRateLimit(1e9, 1_000_000_000).peerRateLimit(1e9, 1_000_000_000)
          .registrationRateLimit(1e9, 1_000_000_000)
          // Every simulated peer speaks from 127.0.0.1: the per-address in-flight bound would refuse them.
          .maxRequestsInFlight(200, 200).build().start());
    }
    bases = servers.stream().map(server -> "http://127.0.0.1:" + server.port()).toArray(String[]::new);
    try {
      List<SimPeer> peers = register(peerCount);
      long heapBefore = usedHeapAfterGc();
      int parties = peerCount / PARTY_SIZE;
      String[] partyIds = new String[parties];
      long[] seqs = new long[parties];
      ConcurrentLinkedQueue<Long> joins = new ConcurrentLinkedQueue<>();
      all(parties, i -> {
        SimPeer host = peers.get(i * PARTY_SIZE);
        return call("POST", Protocol.PARTIES, host.token, new CreatePartyRequest("bench " + i, peer(host)))
            .thenAccept(body -> partyIds[i] = read(body, PartyResponse.class).party().partyId());
      });
      all(parties * (PARTY_SIZE - 1), j -> {
        int party = j / (PARTY_SIZE - 1);
        SimPeer guest = peers.get(party * PARTY_SIZE + 1 + j % (PARTY_SIZE - 1));
        long start = System.nanoTime();
        return call("POST", Protocol.members(partyIds[party]), guest.token, peer(guest)).thenAccept(body -> {
          joins.add(System.nanoTime() - start);
          PartyResponse r = read(body, PartyResponse.class);
          synchronized (seqs) {
            seqs[party] = Math.max(seqs[party], r.seq());
          }
        });
      });
      long heapPerParty = (usedHeapAfterGc() - heapBefore) / parties;

      long heartbeats = heartbeats(peers, partyIds);
      double perSecond = heartbeats / (double) HEARTBEAT_PHASE.toSeconds();

      List<Long> fanout = fanout(peers, partyIds, seqs);
      System.out.printf("%-10s %8d %12.0f %8.2fms %8.2fms %10.2fms %10.2fms %12.1fKiB%n", store, peerCount, perSecond,
          ms(percentile(new ArrayList<>(joins), 50)), ms(percentile(new ArrayList<>(joins), 99)),
          ms(percentile(fanout, 50)), ms(percentile(fanout, 99)), heapPerParty / 1024.0);
      if (peerCount > MAX_WEBSOCKETS) {
        System.out.printf("         (fan-out measured over the first %d peers' WebSockets)%n", MAX_WEBSOCKETS);
      }
    } finally {
      servers.forEach(ControlServer::close);
    }
  }

  private List<SimPeer> register(int n) {
    SimPeer[] result = new SimPeer[n];
    all(n, i -> {
      WireGuardKeyPair keys = WireGuardKeys.generateKeyPair();
      Key key = keys.publicKey();
      String id = "p" + i;
      return call("POST", Protocol.CHALLENGE, null, null)
          .thenCompose(body -> {
            ChallengeResponse c = read(body, ChallengeResponse.class);
            String proof = KeyProof.prove(keys.privateKey(), Key.fromBase64(c.serverKey()), c.nonce(), id, key);
            return call("POST", Protocol.PEERS, null, new RegisterRequest(id, key.toBase64(), c.nonce(), proof));
          })
          .thenAccept(body -> result[i] = new SimPeer(id, key, read(body, RegisterResponse.class).token()));
    });
    return List.of(result);
  }

  private long heartbeats(List<SimPeer> peers, String[] partyIds) throws InterruptedException {
    AtomicLong done = new AtomicLong();
    long end = System.nanoTime() + HEARTBEAT_PHASE.toNanos();
    int i = 0;
    while (System.nanoTime() < end) {
      int index = i++ % (partyIds.length * PARTY_SIZE);
      SimPeer p = peers.get(index);
      inFlight.acquire();
      call("POST", Protocol.heartbeat(partyIds[index / PARTY_SIZE], p.id), p.token, null)
          .whenComplete((ok, e) -> {
            inFlight.release();
            if (e == null) {
              done.incrementAndGet();
            }
          });
    }
    inFlight.acquire(IN_FLIGHT);
    inFlight.release(IN_FLIGHT);
    return done.get();
  }

  private List<Long> fanout(List<SimPeer> peers, String[] partyIds, long[] seqs) throws Exception {
    int sockets = Math.min(MAX_WEBSOCKETS, partyIds.length * PARTY_SIZE) / PARTY_SIZE * PARTY_SIZE;
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    CountDownLatch ready = new CountDownLatch(sockets);
    List<WebSocket> open = new ArrayList<>();
    for (int i = 0; i < sockets; i++) {
      SimPeer p = peers.get(i);
      int party = i / PARTY_SIZE;
      open.add(http.newWebSocketBuilder().header(Protocol.AUTHORIZATION, Protocol.BEARER + p.token)
          .buildAsync(URI.create(baseFor(p.token).replace("http", "ws") + Protocol.EVENTS), new WebSocket.Listener() {
            final StringBuilder text = new StringBuilder();

            @Override
            public void onOpen(WebSocket ws) {
              ws.sendText(ProtocolJson.write(ResumeMessage.of(Map.of(partyIds[party], seqs[party]))), true);
              ws.request(1);
            }

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
              text.append(data);
              if (last) {
                EventMessage e = read(text.toString(), EventMessage.class);
                text.setLength(0);
                if (e.type().equals(Protocol.EVENT_READY)) {
                  ready.countDown();
                } else if (e.type().equals(Protocol.EVENT_PEER_UPDATED) && e.peer().endpoint() != null) {
                  Long t0 = sentAt.get(e.partyId() + ":" + e.peer().endpoint().port());
                  if (t0 != null) {
                    latencies.add(System.nanoTime() - t0);
                  }
                }
              }
              ws.request(1);
              return null;
            }
          }).get(30, TimeUnit.SECONDS));
    }
    if (!ready.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("event streams did not all resume");
    }
    int socketParties = sockets / PARTY_SIZE;
    List<CompletableFuture<?>> updates = new ArrayList<>();
    for (int u = 0; u < FANOUT_UPDATES; u++) {
      int party = u % socketParties;
      SimPeer p = peers.get(party * PARTY_SIZE + 1 + u % (PARTY_SIZE - 1));
      int port = 1 + u;
      Peer updated = peer(p).withEndpoint(new io.partynet.Endpoint("198.51.100.1", port));
      inFlight.acquire();
      sentAt.put(partyIds[party] + ":" + port, System.nanoTime());
      updates.add(call("PUT", Protocol.member(partyIds[party], p.id), p.token, updated)
          .whenComplete((ok, e) -> inFlight.release()));
    }
    CompletableFuture.allOf(updates.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int expected = FANOUT_UPDATES * (PARTY_SIZE - 1);
    while (latencies.size() < expected && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    for (WebSocket ws : open) {
      ws.abort();
    }
    if (latencies.size() < expected) {
      System.out.printf("         warning: %d of %d fan-out events arrived%n", latencies.size(), expected);
    }
    return new ArrayList<>(latencies);
  }

  // ---- helpers ----

  private interface Task {
    CompletableFuture<?> start(int index);
  }

  /** Runs {@code n} tasks with at most {@link #IN_FLIGHT} at once and waits for all of them. */
  private void all(int n, Task task) {
    List<CompletableFuture<?>> futures = new ArrayList<>(n);
    try {
      for (int i = 0; i < n; i++) {
        inFlight.acquire();
        futures.add(task.start(i).whenComplete((ok, e) -> inFlight.release()));
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException("benchmark phase failed", e);
    }
  }

  private CompletableFuture<String> call(String method, String path, String token, Object body) {
    Request.Builder b = new Request.Builder().url(baseFor(token) + path)
        .method(method, body == null ? (method.equals("GET") || method.equals("DELETE") ? null
            : RequestBody.create(new byte[0], JSON)) : RequestBody.create(ProtocolJson.write(body), JSON));
    if (token != null) {
      b.header(Protocol.AUTHORIZATION, Protocol.BEARER + token);
    }
    CompletableFuture<String> result = new CompletableFuture<>();
    rest.newCall(b.build()).enqueue(new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        result.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call call, Response response) throws IOException {
        try (response) {
          String text = response.body() == null ? "" : response.body().string();
          if (response.code() >= 300) {
            result.completeExceptionally(new IllegalStateException(method + " " + path + " -> " + response.code() + " " + text));
          } else {
            result.complete(text);
          }
        }
      }
    });
    return result;
  }

  /** The server a peer talks to (by its token); calls without one alternate (challenges verify on either). */
  private String baseFor(String token) {
    if (bases.length == 1) {
      return bases[0];
    }
    long index = token == null ? unauthenticated.getAndIncrement() : token.hashCode();
    return bases[(int) Math.floorMod(index, (long) bases.length)];
  }

  private static <T> T read(String body, Class<T> type) {
    try {
      return ProtocolJson.lenient().readValue(body, type);
    } catch (IOException e) {
      throw new IllegalStateException("unreadable " + type.getSimpleName(), e);
    }
  }

  private static Peer peer(SimPeer p) {
    return Peer.newMember(p.id, "sim " + p.id, p.key, NatType.FULL_CONE, Instant.now());
  }


  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long percentile(List<Long> values, int p) {
    if (values.isEmpty()) {
      return 0;
    }
    values.sort(null);
    return values.get(Math.min(values.size() - 1, (int) Math.ceil(p / 100.0 * values.size()) - 1));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
