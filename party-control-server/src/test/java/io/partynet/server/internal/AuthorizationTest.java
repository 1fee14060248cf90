package io.partynet.server.internal;

import static io.partynet.server.internal.ServerFixture.peer;
import static io.partynet.server.internal.ServerFixture.randomKey;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partynet.Key;
import io.partynet.protocol.internal.CreatePartyRequest;
import io.partynet.protocol.internal.PartyResponse;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.spi.Signal;
import java.net.URI;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may do what: every rule of the protocol's authorisation, with hand-made requests. */
class AuthorizationTest {
  @TempDir Path dir;
  ServerFixture fx;
  RawApi api;
  Key aKey = randomKey();
  Key bKey = randomKey();
  Key xKey = randomKey();
  String a;
  String b;
  String x;
  String party;
  String otherParty;

  @BeforeEach
  void setUp() throws Exception {
    fx = new ServerFixture(dir);
    api = new RawApi(fx.port);
    a = api.register("a", aKey);
    b = api.register("b", bKey);
    x = api.register("x", xKey);
    party = create(a, "a", aKey);
    otherParty = create(x, "x", xKey);
    assertEquals(200, api.join(b, party, "b", bKey).status());
  }

  @AfterEach
  void tearDown() {
    api.close();
    fx.close();
  }

  private String create(String token, String id, Key key) {
    RawApi.Answer answer = api.send("POST", Protocol.PARTIES, token,
        ProtocolJson.write(new CreatePartyRequest("p-" + id, peer(id, key))));
    assertEquals(201, answer.status(), answer.body());
    return answer.as(PartyResponse.class).party().partyId();
  }

  private void expect(int status, String code, RawApi.Answer answer) {
    assertEquals(status, answer.status(), answer.body());
    assertEquals(code, answer.code(), answer.body());
  }

  @Test
  void aMemberCannotLeaveUpdateHeartbeatOrKickForAnother() {
    expect(403, "FORBIDDEN", api.send("DELETE", Protocol.member(party, "a"), b, null));
    expect(403, "FORBIDDEN", api.send("PUT", Protocol.member(party, "a"), b, ProtocolJson.write(peer("a", aKey))));
    expect(403, "FORBIDDEN", api.send("PUT", Protocol.member(party, "b"), b, ProtocolJson.write(peer("a", aKey))));
    expect(403, "FORBIDDEN", api.send("POST", Protocol.heartbeat(party, "a"), b, null));
    expect(403, "NOT_HOST", api.send("POST", Protocol.kick(party, "a"), b, null));
    expect(403, "NOT_HOST", api.send("DELETE", Protocol.party(party), b, null));
    expect(403, "FORBIDDEN", api.send("POST", Protocol.signals(party), b,
        ProtocolJson.write(new Signal(party, "a", "b", "spoof", Map.of()))));
    assertPartyIntact();
  }

  @Test
  void aTokenOfAnotherPartyGetsNothing() {
    expect(403, "NOT_IN_PARTY", api.send("GET", Protocol.party(party), x, null));
    expect(403, "NOT_IN_PARTY", api.send("POST", Protocol.kick(party, "b"), x, null));
    expect(403, "NOT_IN_PARTY", api.send("DELETE", Protocol.party(party), x, null));
    expect(403, "NOT_IN_PARTY", api.send("DELETE", Protocol.member(party, "x"), x, null));
    expect(403, "NOT_IN_PARTY", api.send("POST", Protocol.heartbeat(party, "x"), x, null));
    expect(403, "NOT_IN_PARTY", api.send("POST", Protocol.signals(party), x,
        ProtocolJson.write(new Signal(party, "x", "a", "hello", Map.of()))));
    expect(403, "FORBIDDEN", api.join(x, party, "a", aKey));
    expect(403, "FORBIDDEN", api.join(x, party, "x", aKey));
    expect(403, "NOT_IN_PARTY", api.send("GET", Protocol.party(otherParty), a, null));
    assertPartyIntact();
  }

  @Test
  void missingMalformedOrForgedTokensGet401() {
    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
    for (String token : new String[] {null, forged, "short", a + "x", a.substring(1) + "A"}) {
      expect(401, "UNAUTHORIZED", api.send("GET", Protocol.party(party), token, null));
      expect(401, "UNAUTHORIZED", api.send("GET", Protocol.ME, token, null));
      expect(401, "UNAUTHORIZED", api.send("DELETE", Protocol.party(party), token, null));
    }
    expect(401, "UNAUTHORIZED", api.send(new okhttp3.Request.Builder().url("http://127.0.0.1:" + fx.port
        + Protocol.party(party)).header(Protocol.AUTHORIZATION, "Basic " + a), "GET", null));
    assertPartyIntact();
  }

  @Test
  void aRegisteredPeerIdCannotBeTakenOver() {
    RawApi.Answer answer = api.send("POST", Protocol.PEERS, null,
        ProtocolJson.write(api.provenRequest("a", xKey, ServerFixture.privateKeyOf(xKey))));
    expect(403, "FORBIDDEN", answer);
  }

  @Test
  void eventStreamRefusesMissingAndForgedTokens() throws Exception {
    assertEquals(false, wsOpens(null));
    assertEquals(false, wsOpens(Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32])));
    assertEquals(true, wsOpens(b), "control: a valid token opens the stream");
  }

  private boolean wsOpens(String token) throws Exception {
    CompletableFuture<Boolean> opened = new CompletableFuture<>();
    Map<String, String> headers = token == null ? Map.of() : Map.of(Protocol.AUTHORIZATION, Protocol.BEARER + token);
    WebSocketClient ws = new WebSocketClient(URI.create("ws://127.0.0.1:" + fx.port + Protocol.EVENTS), headers) {
      @Override public void onOpen(ServerHandshake h) { opened.complete(true); }
      @Override public void onMessage(String m) {}
      @Override public void onClose(int code, String reason, boolean remote) { opened.complete(false); }
      @Override public void onError(Exception e) {}
    };
    try {
      ws.connect();
      return opened.get(10, TimeUnit.SECONDS);
    } finally {
      ws.closeBlocking();
    }
  }

  private void assertPartyIntact() {
    RawApi.Answer answer = api.send("GET", Protocol.party(party), a, null);
    assertEquals(200, answer.status(), answer.body());
    PartyResponse view = answer.as(PartyResponse.class);
    assertEquals(2, view.party().peers().size());
    assertEquals("a", view.party().hostId());
  }
}
