package io.partynet.core.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.partynet.ConnectionType;
import io.partynet.Endpoint;
import io.partynet.InviteCode;
import io.partynet.IpPrefix;
import io.partynet.NatType;
import io.partynet.Party;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.testing.TestPeers;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every API record the SDK persists or sends reads back equal to what was written. */
class JsonRoundTripTest {
  private final ObjectMapper mapper = Json.mapper();

  @Provide
  Arbitrary<Peer> peers() {
    Arbitrary<Endpoint> endpoints = Combinators.combine(
        Arbitraries.integers().between(0, 255), Arbitraries.integers().between(1, 65535), Arbitraries.of(true, false))
        .as((octet, port, v6) -> v6 ? new Endpoint("2001:db8::" + Integer.toHexString(octet), port)
            : new Endpoint("198.51.100." + octet, port));
    return Combinators.combine(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10),
            endpoints.injectNull(0.3), Arbitraries.doubles().between(0, 5000).injectNull(0.3),
            Arbitraries.of(ConnectionType.class), Arbitraries.of(NatType.class))
        .as((id, endpoint, latency, conn, nat) -> TestPeers.peer(id, nat).withVirtualIp("10.77.0.9")
            .withEndpoint(endpoint).withLatencyMs(latency).withConnectionType(conn));
  }

  @Property(tries = 200)
  void peersRoundTrip(@ForAll("peers") Peer peer) throws Exception {
    String json = mapper.writeValueAsString(peer);
    assertEquals(peer, mapper.readValue(json, Peer.class));
    assertFalse(json.contains("\"ipv6\""), json);
  }

  @Property(tries = 100)
  void partiesAndPartyInfosRoundTrip(@ForAll("peers") Peer a, @ForAll("peers") Peer b, @ForAll long seed)
      throws Exception {
    List<Peer> members = a.id().equals(b.id()) ? List.of(a) : List.of(a, b);
    Party party = Party.of(InviteCode.generate(new Random(seed)), "lan", a.id(), members,
        Instant.parse("2026-01-01T00:00:00Z"));
    assertEquals(party, mapper.readValue(mapper.writeValueAsString(party), Party.class));
    PartyInfo info = PartyInfo.of(party, IpPrefix.parse("10.77.0.0/16"));
    assertEquals(info, mapper.readValue(mapper.writeValueAsString(info), PartyInfo.class));
  }
}
