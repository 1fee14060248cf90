package io.partynet.protocol.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.partynet.ConnectionType;
import io.partynet.Endpoint;
import io.partynet.InviteCode;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.NatType;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.spi.Signal;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Protocol messages survive a JSON round trip, and garbage only ever raises the typed decode error. */
class ProtocolJsonTest {

  @Provide
  Arbitrary<Peer> peers() {
    Arbitrary<String> ids = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789_-").ofMinLength(1).ofMaxLength(64);
    Arbitrary<String> names = Arbitraries.strings().alpha().numeric().withChars(' ', 'é', '!').ofMinLength(1).ofMaxLength(32)
        .filter(s -> !s.isBlank()).map(String::strip);
    Arbitrary<Key> keys = Arbitraries.bytes().array(byte[].class).ofSize(32).map(Key::fromBytes);
    Arbitrary<String> ips = Arbitraries.integers().between(1, 65_000).injectNull(0.3)
        .map(n -> n == null ? null : "10.77." + (n / 256) + "." + (n % 256));
    Arbitrary<Endpoint> endpoints = Combinators.combine(Arbitraries.integers().between(0, 255),
        Arbitraries.integers().between(1, 65535), Arbitraries.of(true, false))
        .as((o, port, v6) -> v6 ? new Endpoint("2001:db8::" + Integer.toHexString(o + 1), port)
            : new Endpoint("203.0.113." + o, port)).injectNull(0.3);
    Arbitrary<Double> latency = Arbitraries.doubles().between(0, 10_000).injectNull(0.3);
    Arbitrary<Instant> times = Arbitraries.longs().between(0, 4_000_000_000L)
        .flatMap(s -> Arbitraries.integers().between(0, 999_999_999).map(n -> Instant.ofEpochSecond(s, n)));
    return Combinators.combine(ids, names, keys, ips, endpoints, latency, Arbitraries.of(ConnectionType.class),
        Arbitraries.of(NatType.class)).as((id, name, key, ip, ep, ms, ct, nat) ->
            new Peer(id, name, key.toBase64(), ip, ep, ms, ct, nat, Instant.EPOCH))
        .flatMap(p -> times.map(p::withJoinedAt));
  }

  @Provide
  Arbitrary<EventMessage> events() {
    Arbitrary<String> codes = Arbitraries.longs().map(seed -> InviteCode.generate(new Random(seed)));
    Arbitrary<Long> seqs = Arbitraries.longs().between(0, Long.MAX_VALUE / 2);
    Arbitrary<Signal> signals = Combinators.combine(codes, Arbitraries.strings().withChars("a-z0-9").ofMinLength(1).ofMaxLength(32),
        Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(64), Arbitraries.strings().ofMaxLength(512)).ofMaxSize(16))
        .as((code, type, data) -> new Signal(code, "from", "to", type, data));
    Arbitrary<PartyInfo> parties = Combinators.combine(codes, peers().list().ofMinSize(1).ofMaxSize(5).uniqueElements(Peer::id))
        .as((code, members) -> new PartyInfo(code, "party", members.get(0).id(), members, Instant.ofEpochSecond(1_700_000_000),
            IpPrefix.parse("10.77.0.0/16")));
    return Arbitraries.oneOf(
        Combinators.combine(codes, seqs, peers()).as(EventMessage::peerJoined),
        Combinators.combine(codes, seqs, peers()).as(EventMessage::peerUpdated),
        Combinators.combine(codes, seqs, Arbitraries.of("left", "kicked", "stale")).as((c, s, r) -> EventMessage.peerLeft(c, s, "p1", r)),
        Combinators.combine(seqs, signals).as(EventMessage::signal),
        Combinators.combine(codes, seqs).as((c, s) -> EventMessage.partyDisbanded(c, s, "disbanded")),
        Combinators.combine(seqs, parties).as(EventMessage::snapshot),
        Arbitraries.just(EventMessage.ready()),
        Arbitraries.just(EventMessage.goingAway("shutdown")));
  }

  @Property(tries = 150)
  void eventsRoundTrip(@ForAll("events") EventMessage event) throws IOException {
    String json = ProtocolJson.write(event);
    assertEquals(event, ProtocolJson.strict().readValue(json, EventMessage.class));
    assertFalse(json.contains("null"), "absent fields are left out: " + json);
  }

  @Property(tries = 200)
  void peersRoundTrip(@ForAll("peers") Peer peer) throws IOException {
    assertEquals(peer, ProtocolJson.strict().readValue(ProtocolJson.write(peer), Peer.class));
  }

  @Provide
  Arbitrary<Object> requestsAndAnswers() {
    Arbitrary<String> codes = Arbitraries.longs().map(seed -> InviteCode.generate(new Random(seed)));
    Arbitrary<String> peerIds = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
        .ofMinLength(1).ofMaxLength(64);
    Arbitrary<String> keys = Arbitraries.bytes().array(byte[].class).ofSize(32).map(b -> Key.fromBytes(b).toBase64());
    Arbitrary<String> tokens = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
        .ofLength(Protocol.TOKEN_CHARS);
    Arbitrary<String> partyNames = Arbitraries.strings().alpha().numeric().withChars(' ', 'ü', '#').ofMinLength(1).ofMaxLength(64)
        .filter(s -> !s.isBlank()).map(String::strip);
    Arbitrary<PartyInfo> parties = Combinators.combine(codes, partyNames, peers().list().ofMinSize(1).ofMaxSize(4).uniqueElements(Peer::id))
        .as((code, name, members) -> new PartyInfo(code, name, members.get(0).id(), members, Instant.ofEpochSecond(1_700_000_000),
            IpPrefix.parse("10.77.0.0/16")));
    return Arbitraries.oneOf(
        Combinators.combine(peerIds, keys, tokens.map(t -> t + "nonce"), tokens).as(RegisterRequest::new),
        Combinators.combine(tokens.map(t -> t + "nonce"), keys).as(ChallengeResponse::new),
        Combinators.combine(peerIds, tokens).as(RegisterResponse::new),
        Combinators.combine(peerIds, keys, codes.list().ofMaxSize(Protocol.MAX_PARTIES_PER_PEER)).as(Account::new),
        Combinators.combine(partyNames, peers()).as(CreatePartyRequest::new),
        Combinators.combine(parties, Arbitraries.longs().between(0, Long.MAX_VALUE)).as(PartyResponse::new),
        Arbitraries.maps(codes, Arbitraries.longs().between(0, Long.MAX_VALUE)).ofMaxSize(ResumeMessage.MAX_PARTIES)
            .map(ResumeMessage::of),
        Combinators.combine(Arbitraries.of(io.partynet.PartyException.Reason.class), Arbitraries.strings().ofMaxLength(200))
            .as(ErrorBody::of));
  }

  /** Every request and answer record reads back equal, with the strict and the lenient mapper. */
  @Property(tries = 300)
  void requestsAndAnswersRoundTrip(@ForAll("requestsAndAnswers") Object message) throws IOException {
    String json = ProtocolJson.write(message);
    assertEquals(message, ProtocolJson.strict().readValue(json, message.getClass()));
    assertEquals(message, ProtocolJson.lenient().readValue(json, message.getClass()));
  }

  @Property(tries = 300)
  void garbageOnlyRaisesTheDecodeError(@ForAll byte[] bytes) {
    for (Class<?> type : List.of(EventMessage.class, ResumeMessage.class, Peer.class, RegisterRequest.class, Signal.class)) {
      try {
        ProtocolJson.strict().readValue(bytes, type);
      } catch (IOException expected) {
        // The typed decode error: JsonProcessingException and its subclasses.
      }
    }
  }

  /** The register example of docs/control-plane-protocol.md, as a fixed vector. */
  @Test
  void documentedExamplesParse() throws IOException {
    RegisterRequest r = ProtocolJson.strict().readValue(
        "{\"peerId\":\"p-3f9a1c\",\"publicKey\":\"xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\","
            + "\"nonce\":\"p3oh17Si8Os9LAoeKY8G7J2IiRc6lLMmQO4olclRTVUuvlzl5udMYw\","
            + "\"proof\":\"i_wLqqhpokTtylhVr6jEPgqZ3WVfzUfdN2BB8pkDPYU\"}", RegisterRequest.class);
    assertEquals("p-3f9a1c", r.peerId());
    ResumeMessage resume = ProtocolJson.strict().readValue(
        "{\"type\":\"resume\",\"parties\":{\"7KQ2-M9XD-4RTX\":12}}", ResumeMessage.class);
    assertEquals(Map.of("7KQ2-M9XD-4RTX", 12L), resume.parties());
    EventMessage left = ProtocolJson.strict().readValue(
        "{\"type\":\"peer-left\",\"partyId\":\"7KQ2-M9XD-4RTX\",\"seq\":13,\"peerId\":\"p-77b2\",\"reason\":\"kicked\"}",
        EventMessage.class);
    assertEquals(EventMessage.peerLeft("7KQ2-M9XD-4RTX", 13, "p-77b2", "kicked"), left);
  }

  /** Issue 16 item 15: the server reads what was sent, never a coerced look-alike. */
  @Test
  void strictMapperCoercesNothing() {
    String port = "{\"host\":\"203.0.113.9\",\"port\":\"80\"}";
    assertThrows(IOException.class, () -> ProtocolJson.strict().readValue(port, io.partynet.Endpoint.class));
    String numericName = "{\"type\":\"resume\",\"parties\":{\"7KQ2-M9XD-4RTX\":\"12\"}}";
    assertThrows(IOException.class, () -> ProtocolJson.strict().readValue(numericName, ResumeMessage.class));
    String numberAsText = "{\"partyId\":\"7KQ2-M9XD-4RTX\",\"fromPeerId\":\"a\",\"toPeerId\":\"b\","
        + "\"type\":42,\"data\":{}}";
    assertThrows(IOException.class, () -> ProtocolJson.strict().readValue(numberAsText, Signal.class));
    for (String latency : List.of("\"Infinity\"", "\"NaN\"", "NaN", "Infinity", "1e999", "\"12\"")) {
      String peer = "{\"id\":\"p\",\"name\":\"p\",\"publicKey\":\"xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\","
          + "\"latencyMs\":" + latency + ",\"connectionType\":\"NONE\",\"natType\":\"FULL_CONE\","
          + "\"joinedAt\":\"2026-11-24T22:52:23.123Z\"}";
      assertThrows(IOException.class, () -> ProtocolJson.strict().readValue(peer, Peer.class), latency);
    }
  }

  @Test
  void strictMapperRejectsUnknownFieldsLenientIgnoresThem() throws IOException {
    String withExtra = "{\"type\":\"ready\",\"futureField\":1}";
    assertThrows(IOException.class, () -> ProtocolJson.strict().readValue(withExtra, EventMessage.class));
    assertEquals(EventMessage.ready(), ProtocolJson.lenient().readValue(withExtra, EventMessage.class));
  }

  @Test
  void errorCodesMapToHttpStatusAndBack() {
    for (io.partynet.PartyException.Reason reason : io.partynet.PartyException.Reason.values()) {
      int status = ErrorCodes.httpStatus(reason);
      assertEquals(reason, ErrorCodes.reasonOf(reason.name(), status));
      assertEquals(reason, ErrorCodes.toException(reason, "m").reason());
    }
    assertEquals(io.partynet.PartyException.Reason.RATE_LIMITED, ErrorCodes.reasonOf("SOMETHING_NEW", 429));
  }
}
