package io.partynet.remote.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.sun.net.httpserver.HttpServer;
import io.partynet.ConnectionType;
import io.partynet.InviteCode;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.NatType;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.protocol.internal.IdempotencyKey;
import io.partynet.protocol.internal.PartyResponse;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.protocol.internal.X25519;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every attempt of one join carries the same Idempotency-Key and every join call a new one. A
 * loopback stub answers each join's first two attempts with 503 (the real server never does so on
 * demand), so the client retries; it records the header of every attempt.
 */
class JoinIdempotencyKeyTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Key mePrivate = randomKey();
  private final Key mePublic = X25519.publicKey(mePrivate);
  private final String party = InviteCode.generate();
  /** The Idempotency-Key header of every join attempt, in arrival order (null when absent). */
  private final List<String> joinKeys = new ArrayList<>();
  private HttpServer stub;

  @BeforeEach
  void start() throws IOException {
    PartyInfo view = new PartyInfo(party, "retries", "me", List.of(member()), Instant.now(),
        IpPrefix.parse("10.77.0.0/16"));
    stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    stub.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      exchange.getRequestBody().readAllBytes();
      if (StubAnswers.registration(exchange, "me")) {
        return;
      }
      if (path.equals(Protocol.members(party))) {
        int attempt;
        synchronized (joinKeys) {
          joinKeys.add(exchange.getRequestHeaders().getFirst(Protocol.IDEMPOTENCY_KEY));
          attempt = joinKeys.size();
        }
        if (attempt % 3 != 0) {
          StubAnswers.json(exchange, 503, "{\"code\":\"CONTROL_PLANE_UNAVAILABLE\",\"message\":\"busy\"}");
        } else {
          StubAnswers.json(exchange, 200, ProtocolJson.write(new PartyResponse(view, 1)));
        }
      } else {
        StubAnswers.json(exchange, 404, "{\"code\":\"INVALID_ARGUMENT\",\"message\":\"no\"}");
      }
    });
    stub.start();
  }

  @AfterEach
  void stop() {
    stub.stop(0);
  }

  @Test
  void theAttemptsOfOneJoinShareAKeyAndTwoJoinsDiffer() throws Exception {
    URI server = URI.create("http://127.0.0.1:" + stub.getAddress().getPort());
    try (RemoteControlPlaneClient client = RemoteControlPlaneClient.builder(server)
        .requestTimeout(Duration.ofSeconds(10)).backoff(Duration.ofMillis(10), Duration.ofMillis(50)).maxAttempts(4)
        .autoHeartbeat(false).tokenStore(TokenStore.inMemory()).privateKey(mePrivate).build()) {
      client.start("me", mePublic).get(30, TimeUnit.SECONDS);
      client.joinParty(party, member()).get(30, TimeUnit.SECONDS);
      client.joinParty(party, member()).get(30, TimeUnit.SECONDS);
    }
    List<String> sent;
    synchronized (joinKeys) {
      sent = List.copyOf(joinKeys);
    }
    assertEquals(6, sent.size(), "two joins of three attempts each: " + sent);
    for (String header : sent) {
      IdempotencyKey.parse(header);
    }
    assertEquals(1, new HashSet<>(sent.subList(0, 3)).size(), "one key on every attempt of the first join: " + sent);
    assertEquals(1, new HashSet<>(sent.subList(3, 6)).size(), "one key on every attempt of the second join: " + sent);
    assertNotEquals(sent.get(0), sent.get(3), "each join call has its own key");
  }

  private Peer member() {
    return new Peer("me", "me", mePublic.toBase64(), "10.77.0.1", null, null, ConnectionType.NONE, NatType.FULL_CONE,
        Instant.now());
  }

  private static Key randomKey() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Key.fromBytes(bytes);
  }
}
