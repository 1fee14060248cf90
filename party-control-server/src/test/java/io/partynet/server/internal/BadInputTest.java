package io.partynet.server.internal;

import static io.partynet.server.internal.ServerFixture.peer;
import static io.partynet.server.internal.ServerFixture.randomKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Key;
import io.partynet.protocol.internal.CreatePartyRequest;
import io.partynet.protocol.internal.PartyResponse;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import okhttp3.Request;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * Malformed, oversized and hostile bodies, headers, paths and WebSocket frames: the server answers
 * 4xx (never 5xx), stays up, and its state is unchanged.
 */
class BadInputTest {
  private static Path dir;
  private static ServerFixture fx;
  private static RawApi api;
  private static final Key HOST_KEY = randomKey();
  private static String token;
  private static String party;

  @BeforeContainer
  static void start() throws IOException {
    dir = Files.createTempDirectory("partynet-badinput");
    fx = new ServerFixture(dir);
    api = new RawApi(fx.port);
    token = api.register("host", HOST_KEY);
    RawApi.Answer created = api.send("POST", Protocol.PARTIES, token,
        ProtocolJson.write(new CreatePartyRequest("target", peer("host", HOST_KEY))));
    party = created.as(PartyResponse.class).party().partyId();
  }

  @AfterContainer
  static void stop() throws IOException {
    api.close();
    fx.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @AfterProperty
  void serverIsUpAndStateIntact() {
    assertEquals(200, api.send("GET", Protocol.HEALTH, null, null).status());
    RawApi.Answer view = api.send("GET", Protocol.party(party), token, null);
    assertEquals(200, view.status(), view.body());
    PartyResponse p = view.as(PartyResponse.class);
    assertEquals(1, p.party().peers().size());
    assertEquals("player host", p.party().peer("host").name());
    assertEquals(null, p.party().peer("host").endpoint());
  }

  private static void assert4xx(RawApi.Answer answer, String what) {
    assertTrue(answer.status() >= 400 && answer.status() < 500, what + " -> " + answer.status() + " " + answer.body());
    if (answer.body().startsWith("{")) {
      answer.code();
    }
  }

  /** Endpoints that read a JSON body, with the caller's token. */
  @Provide
  Arbitrary<String[]> bodyEndpoints() {
    return Arbitraries.of(List.of(
        new String[] {"POST", Protocol.PEERS},
        new String[] {"POST", Protocol.PARTIES},
        new String[] {"POST", Protocol.members(party)},
        new String[] {"PUT", Protocol.member(party, "host")},
        new String[] {"POST", Protocol.signals(party)}));
  }

  @Provide
  Arbitrary<byte[]> garbage() {
    Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(2048);
    Arbitrary<byte[]> jsonish = Arbitraries.strings().withChars("{}[]\":,0123456789.eE-+truefalsn \\u")
        .ofMaxLength(512).map(s -> s.getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> nested = Arbitraries.integers().between(65, 5000)
        .map(depth -> ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8));
    return Arbitraries.oneOf(bytes, jsonish, nested, invalidDocuments());
  }

  /** Well-formed JSON documents whose content breaks one rule each. */
  private Arbitrary<byte[]> invalidDocuments() {
    String key = HOST_KEY.toBase64();
    Arbitrary<String> badName = Arbitraries.oneOf(
        Arbitraries.strings().ofMinLength(65).ofMaxLength(300).alpha(),
        Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMinLength(1).ofMaxLength(5),
        Arbitraries.of("", "   "));
    Arbitrary<String> badKey = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(60).ascii(), Arbitraries.of(key.substring(1), key + "A", "!" + key.substring(1)));
    Arbitrary<String> badIp = Arbitraries.of("999.1.1.1", "10.77.0", "example.com", "::g", "01.2.3.4", "");
    Arbitrary<String> badEndpoint = Arbitraries.of("1.2.3.4", "1.2.3.4:0", "1.2.3.4:70000", "host:80", "[::1]", ":::1:2");
    Arbitrary<String> badId = Arbitraries.oneOf(Arbitraries.strings().ofMinLength(65).ofMaxLength(100).alpha(),
        Arbitraries.of("", "a/b", "a b", "ä", "../x"));
    return Arbitraries.oneOf(
        badName.map(n -> peerJson("host", n, key, null, null)),
        badKey.map(k -> peerJson("host", "ok", k, null, null)),
        badIp.map(ip -> peerJson("host", "ok", key, ip, null)),
        badEndpoint.map(ep -> peerJson("host", "ok", key, null, ep)),
        badId.map(id -> peerJson(id, "ok", key, null, null)),
        badName.map(n -> "{\"name\":" + quote(n) + ",\"host\":" + peerJson("host", "ok", key, null, null) + "}"),
        Arbitraries.of("{\"partyId\":\"" + party + "\",\"fromPeerId\":\"host\",\"toPeerId\":\"host\",\"type\":\"BAD TYPE\",\"data\":{}}",
            "{\"partyId\":\"" + party + "\",\"fromPeerId\":\"host\",\"toPeerId\":\"host\",\"type\":\"x\",\"data\":{\"k\":\""
                + "v".repeat(600) + "\"}}",
            "{\"peerId\":\"p\",\"publicKey\":\"" + key + "\",\"extra\":1}",
            "{\"name\":\"n\",\"host\":null}", "null", "[]", "\"string\"", "42"))
        .map(s -> s.getBytes(StandardCharsets.UTF_8));
  }

  private static String peerJson(String id, String name, String key, String ip, String endpoint) {
    return "{\"id\":" + quote(id) + ",\"name\":" + quote(name) + ",\"publicKey\":" + quote(key)
        + (ip == null ? "" : ",\"virtualIp\":" + quote(ip))
        + (endpoint == null ? "" : ",\"endpoint\":" + quote(endpoint))
        + ",\"joinedAt\":\"2026-01-01T00:00:00Z\"}";
  }

  private static String quote(String s) {
    return ProtocolJson.write(s);
  }

  @Property(tries = 150)
  void malformedBodiesGet4xx(@ForAll("bodyEndpoints") String[] endpoint, @ForAll("garbage") byte[] body) {
    Request.Builder b = new Request.Builder().url("http://127.0.0.1:" + fx.port + endpoint[1])
        .header(Protocol.AUTHORIZATION, Protocol.BEARER + token);
    RawApi.Answer answer = api.send(b, endpoint[0], new String(body, StandardCharsets.ISO_8859_1));
    assert4xx(answer, endpoint[0] + " " + endpoint[1]);
  }

  @Property(tries = 10)
  void oversizedBodiesGet413(@ForAll("bodyEndpoints") String[] endpoint,
      @ForAll @net.jqwik.api.constraints.IntRange(min = Protocol.MAX_BODY_BYTES + 1, max = 200_000) int size) {
    String body = "{\"name\":\"" + "x".repeat(size) + "\"}";
    RawApi.Answer answer = api.send(new Request.Builder().url("http://127.0.0.1:" + fx.port + endpoint[1])
        .header(Protocol.AUTHORIZATION, Protocol.BEARER + token), endpoint[0], body);
    assertEquals(413, answer.status(), answer.body());
  }

  @Provide
  Arbitrary<String> headerValues() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(200),
        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(200).map(s -> "Bearer " + s),
        Arbitraries.strings().withCharRange(' ', '~').ofMinLength(9000).ofMaxLength(20000));
  }

  @Property(tries = 60)
  void hostileHeadersGet4xx(@ForAll("headerValues") String value,
      @ForAll @net.jqwik.api.constraints.AlphaChars @net.jqwik.api.constraints.StringLength(min = 1, max = 30) String name) {
    String url = "http://127.0.0.1:" + fx.port + Protocol.party(party);
    assert4xx(api.send(new Request.Builder().url(url).header(Protocol.AUTHORIZATION, value), "GET", null), "auth " + value.length());
    assert4xx(api.send(new Request.Builder().url(url).header("X-" + name, value), "DELETE", null), "header " + name);
  }

  @Property(tries = 60)
  void hostilePathsGet4xx(@ForAll @net.jqwik.api.constraints.StringLength(max = 80)
      @net.jqwik.api.constraints.CharRange(from = '!', to = '~') String segment) {
    String encoded = java.net.URLEncoder.encode(segment, StandardCharsets.UTF_8);
    assert4xx(api.send("GET", Protocol.PARTIES + "/" + encoded, token, null), "party " + segment);
    assert4xx(api.send("POST", Protocol.PARTIES + "/" + party + "/members/" + encoded + "/kick", token, null),
        "kick " + segment);
  }

  @Provide
  Arbitrary<String> frames() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(500),
        Arbitraries.strings().withChars("{}[]\":,0123456789resumpartis").ofMaxLength(200),
        Arbitraries.of("{\"type\":\"resume\",\"parties\":{\"not-a-code\":1}}",
            "{\"type\":\"resume\",\"parties\":{\"" + party + "\":-5}}",
            "{\"type\":\"other\"}", "{\"type\":\"resume\",\"parties\":{},\"x\":1}"));
  }

  @Property(tries = 40)
  void malformedFramesCloseTheStreamOnly(@ForAll("frames") String frame) throws Exception {
    int code = closeCodeAfterSending(frame);
    assertTrue(code == 1008, "close code " + code + " for a bad frame");
  }

  @Property(tries = 5)
  void oversizedFramesCloseTheStreamOnly(
      @ForAll @net.jqwik.api.constraints.IntRange(min = Protocol.MAX_FRAME_BYTES + 1, max = 300_000) int size)
      throws Exception {
    int code = closeCodeAfterSending("a".repeat(size));
    // 1009 "message too big"; 1006 when the server drops the connection while the frame is still arriving.
    assertTrue(code == 1009 || code == 1006, "close code " + code + " for an oversized frame");
  }

  private static int closeCodeAfterSending(String frame) throws Exception {
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocketClient ws = new WebSocketClient(URI.create("ws://127.0.0.1:" + fx.port + Protocol.EVENTS),
        Map.of(Protocol.AUTHORIZATION, Protocol.BEARER + token)) {
      @Override public void onOpen(ServerHandshake h) { send(frame); }
      @Override public void onMessage(String m) {}
      @Override public void onClose(int code, String reason, boolean remote) { closed.complete(code); }
      @Override public void onError(Exception e) {}
    };
    ws.connect();
    return closed.get(10, TimeUnit.SECONDS);
  }
}
