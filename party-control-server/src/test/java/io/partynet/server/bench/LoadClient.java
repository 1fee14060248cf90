package io.partynet.server.bench;

import io.partynet.Key;
import io.partynet.NatType;
import io.partynet.Peer;
import io.partynet.core.internal.keys.WireGuardKeyPair;
import io.partynet.core.internal.keys.WireGuardKeys;
import io.partynet.protocol.internal.ChallengeResponse;
import io.partynet.protocol.internal.KeyProof;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.protocol.internal.RegisterRequest;
import io.partynet.protocol.internal.RegisterResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The REST side of the simulated peers: async OkHttp calls (a bounded number in flight, so
 * thousands of peers fit in one JVM) and registration with a real key proof. Each peer talks to
 * one server, chosen by its index, so with two instances a party's members are spread over both.
 */
final class LoadClient {
  /** Below the servers' --max-requests 200: the load generator, not the server, queues the excess. */
  static final int IN_FLIGHT = 160;
  private static final MediaType JSON = MediaType.get("application/json");

  record SimPeer(String id, Key key, String token, String base) {
    Peer member() {
      return Peer.newMember(id, "sim " + id, key, NatType.FULL_CONE, Instant.parse("2026-01-01T00:00:00Z"));
    }
  }

  private final OkHttpClient rest;
  private final List<String> bases;
  /**
   * Set-up calls in flight at once: enough to keep the servers busy, few enough that a shared
   * instance's database pool (10) does not time out while they queue for it (set-up is not measured).
   */
  private static final int SET_UP_IN_FLIGHT = 32;
  private final Semaphore bulk = new Semaphore(SET_UP_IN_FLIGHT);

  LoadClient(List<String> bases) {
    this.bases = List.copyOf(bases);
    rest = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(60))
        .connectionPool(new ConnectionPool(IN_FLIGHT, 1, TimeUnit.MINUTES)).build();
    rest.dispatcher().setMaxRequests(IN_FLIGHT);
    rest.dispatcher().setMaxRequestsPerHost(IN_FLIGHT);
  }

  /** Registers peers {@code prefix0..prefix(n-1)}, peer i on server {@code i mod servers}. */
  List<SimPeer> register(String prefix, int n) {
    SimPeer[] result = new SimPeer[n];
    all(n, i -> {
      WireGuardKeyPair keys = WireGuardKeys.generateKeyPair();
      String id = prefix + i;
      String base = bases.get(i % bases.size());
      return call(base, "POST", Protocol.CHALLENGE, null, null).thenCompose(body -> {
        ChallengeResponse c = read(body, ChallengeResponse.class);
        String proof = KeyProof.prove(keys.privateKey(), Key.fromBase64(c.serverKey()), c.nonce(), id, keys.publicKey());
        return call(base, "POST", Protocol.PEERS, null,
            new RegisterRequest(id, keys.publicKey().toBase64(), c.nonce(), proof));
      }).thenAccept(body -> result[i] = new SimPeer(id, keys.publicKey(), read(body, RegisterResponse.class).token(), base));
    });
    return List.of(result);
  }

  /** Runs {@code n} calls with at most {@link #SET_UP_IN_FLIGHT} at once and waits (bounded) for all. */
  void all(int n, IntFunction<CompletableFuture<?>> task) {
    List<CompletableFuture<?>> futures = new ArrayList<>(n);
    try {
      for (int i = 0; i < n; i++) {
        bulk.acquire();
        futures.add(task.apply(i).whenComplete((ok, e) -> bulk.release()));
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException("benchmark phase failed", e);
    }
  }

  CompletableFuture<String> call(SimPeer peer, String method, String path, Object body) {
    return call(peer.base(), method, path, peer.token(), body);
  }

  private CompletableFuture<String> call(String base, String method, String path, String token, Object body) {
    RequestBody payload = body == null
        ? (method.equals("DELETE") ? null : RequestBody.create(new byte[0], JSON))
        : RequestBody.create(ProtocolJson.write(body), JSON);
    Request.Builder b = new Request.Builder().url(base + path).method(method, payload);
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

  static <T> T read(String body, Class<T> type) {
    try {
      return ProtocolJson.lenient().readValue(body, type);
    } catch (IOException e) {
      throw new IllegalStateException("unreadable " + type.getSimpleName(), e);
    }
  }

  void close() {
    rest.dispatcher().executorService().shutdownNow();
    rest.connectionPool().evictAll();
  }
}
