package io.partynet.remote.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.partynet.ConnectionType;
import io.partynet.InviteCode;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.NatType;
import io.partynet.PartyException;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.protocol.internal.PartyResponse;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.protocol.internal.X25519;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the client does when the server (or whoever answers in its place) misbehaves in ways the
 * real server never does, so a loopback stub plays it: issue 16 items 12 and 15.
 */
class HostileServerTest {
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
  private final Key mePrivate = randomKey();
  private final Key mePublic = X25519.publicKey(mePrivate);
  private HttpServer stub;
  private HttpServer elsewhere;

  @AfterEach
  void stop() {
    if (stub != null) {
      stub.stop(0);
    }
    if (elsewhere != null) {
      elsewhere.stop(0);
    }
  }

  @Test
  void aPartyViewInWhichTwoMembersShareAKeyIsRefused() throws Exception {
    String party = InviteCode.generate();
    Key cloned = X25519.publicKey(randomKey());
    PartyInfo view = new PartyInfo(party, "cloned", "victim", List.of(
        member("victim", cloned, "10.77.0.1"), member("attacker", cloned, "10.77.0.2"),
        member("me", mePublic, "10.77.0.3")), Instant.now(), IpPrefix.parse("10.77.0.0/16"));
    stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    stub.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      if (StubAnswers.registration(exchange, "me")) {
        return;
      }
      if (path.equals(Protocol.members(party))) {
        StubAnswers.json(exchange, 200, ProtocolJson.write(new PartyResponse(view, 3)));
      } else {
        StubAnswers.json(exchange, 404, "{\"code\":\"INVALID_ARGUMENT\",\"message\":\"no\"}");
      }
    });
    stub.start();
    try (RemoteControlPlaneClient client = client(URI.create("http://127.0.0.1:" + stub.getAddress().getPort()))) {
      client.start("me", mePublic).join();
      CompletionException e = assertThrows(CompletionException.class,
          () -> client.joinParty(party, member("me", mePublic, null)).join());
      PartyException refused = assertInstanceOf(PartyException.class, e.getCause());
      assertTrue(refused.getMessage().contains("sharing one WireGuard key"), refused.getMessage());
    }
  }

  @Test
  void aRedirectToAnotherHostIsNotFollowed() throws Exception {
    AtomicInteger reachedElsewhere = new AtomicInteger();
    elsewhere = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 0);
    elsewhere.createContext("/", exchange -> {
      reachedElsewhere.incrementAndGet();
      StubAnswers.json(exchange, 200, "{}");
    });
    elsewhere.start();
    stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    stub.createContext("/", exchange -> {
      exchange.getResponseHeaders().add("Location",
          "http://127.0.0.2:" + elsewhere.getAddress().getPort() + exchange.getRequestURI());
      StubAnswers.json(exchange, 307, "");
    });
    stub.start();
    URI server = URI.create("http://127.0.0.1:" + stub.getAddress().getPort());
    TokenStore saved = TokenStore.inMemory();
    saved.save(server.toString(), "me", StubAnswers.TOKEN);
    try (RemoteControlPlaneClient client = client(server, saved)) {
      CompletionException e = assertThrows(CompletionException.class,
          () -> client.start("me", mePublic).join());
      assertInstanceOf(PartyException.class, e.getCause());
      assertTrue(e.getCause().getMessage().contains("redirect"), e.getCause().getMessage());
    }
    assertEquals(0, reachedElsewhere.get(), "the token must not travel to the redirect's host");
  }

  private RemoteControlPlaneClient client(URI server) {
    return client(server, TokenStore.inMemory());
  }

  private RemoteControlPlaneClient client(URI server, TokenStore tokens) {
    return RemoteControlPlaneClient.builder(server).requestTimeout(Duration.ofSeconds(5))
        .backoff(Duration.ofMillis(50), Duration.ofMillis(200)).maxAttempts(1)
        .tokenStore(tokens).privateKey(mePrivate).build();
  }

  private static Key randomKey() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Key.fromBytes(bytes);
  }

  private static Peer member(String id, Key key, String ip) {
    return new Peer(id, id, key.toBase64(), ip, null, null, ConnectionType.NONE, NatType.FULL_CONE, Instant.now());
  }
}
