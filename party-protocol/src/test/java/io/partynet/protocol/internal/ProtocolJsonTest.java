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
        "{\"peerId\":\"p-3f9a1c\",\"publicKey\":\"xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\"}", RegisterRequest.class);
    assertEquals("p-3f9a1c", r.peerId());
    ResumeMessage resume = ProtocolJson.strict().readValue(
        "{\"type\":\"resume\",\"parties\":{\"7KQ2-M9XD-4RTA\":12}}", ResumeMessage.class);
    assertEquals(Map.of("7KQ2-M9XD-4RTA", 12L), resume.parties());
    EventMessage left = ProtocolJson.strict().readValue(
        "{\"type\":\"peer-left\",\"partyId\":\"7KQ2-M9XD-4RTA\",\"seq\":13,\"peerId\":\"p-77b2\",\"reason\":\"kicked\"}",
        EventMessage.class);
    assertEquals(EventMessage.peerLeft("7KQ2-M9XD-4RTA", 13, "p-77b2", "kicked"), left);
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
