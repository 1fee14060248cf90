package io.partynet.server.internal;

import static io.partynet.server.internal.ServerFixture.randomKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.partynet.protocol.internal.IceServersResponse;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.server.internal.http.IceServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/ice-servers} on a real server: who may ask, what comes back, when it expires. */
class IceServersEndpointTest {
  private static final String SECRET = "correct-horse-battery";
  @TempDir Path dir;
  ServerFixture fx;
  RawApi api;

  private void start(IceServers servers) throws Exception {
    fx = new ServerFixture(dir, b -> b.iceServers(servers));
    api = new RawApi(fx.port);
  }

  @AfterEach
  void tearDown() {
    if (api != null) {
      api.close();
    }
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void needsABearerTokenOfARegisteredPeer() throws Exception {
    start(configured());
    RawApi.Answer none = api.send("GET", Protocol.ICE_SERVERS, null, null);
    assertEquals(401, none.status());
    RawApi.Answer forged = api.send("GET", Protocol.ICE_SERVERS, "A".repeat(Protocol.TOKEN_CHARS), null);
    assertEquals(401, forged.status());
    assertFalse(none.body().contains(SECRET) || forged.body().contains(SECRET));
  }

  @Test
  void answersTheServersAndACredentialMadeForTheCaller() throws Exception {
    start(configured());
    String token = api.register("p-alice", randomKey());
    RawApi.Answer answer = api.send("GET", Protocol.ICE_SERVERS, token, null);
    assertEquals(200, answer.status(), answer.body());
    assertFalse(answer.body().contains(SECRET), "the secret never travels: " + answer.body());
    IceServersResponse ice = ProtocolJson.strict().readValue(answer.body(), IceServersResponse.class);

    long expiry = fx.clock.instant().plus(Duration.ofMinutes(10)).getEpochSecond();
    assertEquals(List.of("stun.example.net:3478", "[2001:db8::3]:3478"), ice.stun());
    assertEquals(expiry, ice.expiresAt().getEpochSecond());
    assertEquals(1, ice.turn().size());
    IceServersResponse.TurnServer turn = ice.turn().get(0);
    assertEquals("127.0.0.1:3478", turn.address());
    assertEquals(expiry + ":p-alice", turn.username());
    assertEquals(IceServers.password(SECRET.getBytes(StandardCharsets.UTF_8), turn.username()), turn.password());
  }

  @Test
  void everyPeerAndEveryLaterRequestGetsItsOwnCredential() throws Exception {
    start(configured());
    String alice = api.register("p-alice", randomKey());
    String bob = api.register("p-bob", randomKey());
    IceServersResponse first = fetch(alice);
    IceServersResponse other = fetch(bob);
    assertEquals(first.expiresAt().getEpochSecond() + ":p-bob", other.turn().get(0).username());
    assertNotEquals(first.turn().get(0).password(), other.turn().get(0).password());

    fx.clock.advance(Duration.ofMinutes(7));
    IceServersResponse refreshed = fetch(alice);
    assertEquals(first.expiresAt().plus(Duration.ofMinutes(7)), refreshed.expiresAt());
    assertNotEquals(first.turn().get(0).password(), refreshed.turn().get(0).password());
  }

  /** The real client: after start it knows the servers, with a credential for its own peer id. */
  @Test
  void theRemoteClientFetchesThemAfterStarting() throws Exception {
    start(configured());
    var client = fx.client();
    client.start("p-carol", randomKey()).join();
    io.partynet.testing.Eventually.until(Duration.ofSeconds(10), () -> client.iceServers().isPresent(),
        "the client fetched its ICE servers");
    io.partynet.spi.IceServers ice = client.iceServers().orElseThrow();
    assertEquals(List.of("stun.example.net:3478", "[2001:db8::3]:3478"), ice.stunServers());
    io.partynet.spi.IceServers.TurnServer turn = ice.turnServers().get(0);
    assertEquals(ice.expiresAt().getEpochSecond() + ":p-carol", turn.username());
    assertEquals(IceServers.password(SECRET.getBytes(StandardCharsets.UTF_8), turn.username()), turn.password());
  }

  @Test
  void withoutConfigurationAnswersEmptyLists() throws Exception {
    start(IceServers.none());
    IceServersResponse ice = fetch(api.register("p-alice", randomKey()));
    assertEquals(List.of(), ice.stun());
    assertEquals(List.of(), ice.turn());
  }

  private IceServersResponse fetch(String token) throws Exception {
    RawApi.Answer answer = api.send("GET", Protocol.ICE_SERVERS, token, null);
    assertEquals(200, answer.status(), answer.body());
    return ProtocolJson.strict().readValue(answer.body(), IceServersResponse.class);
  }

  private static IceServers configured() {
    return new IceServers(List.of("stun.example.net:3478", "[2001:db8::3]:3478"), List.of("127.0.0.1:3478"),
        SECRET.getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(10));
  }
}
