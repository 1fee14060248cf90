package io.partynet.protocol.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partynet.ConnectionType;
import io.partynet.NatType;
import io.partynet.Party;
import io.partynet.Peer;
import java.time.Instant;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The protocol accepts exactly the ids and names the API's models accept: one rule on both sides. */
class ValidationTest {
  private static final String KEY = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
  private static final Peer HOST =
      new Peer("host", "alice", KEY, null, null, null, ConnectionType.NONE, NatType.UNKNOWN, Instant.EPOCH);

  /** Mostly near-valid text: the allowed characters, some others, control characters, odd lengths. */
  @Provide
  Arbitrary<String> candidates() {
    return Arbitraries.strings().withChars("aZ09_- .é/\t\u0001").ofMinLength(0).ofMaxLength(70).injectNull(0.02);
  }

  @Property(tries = 500)
  void aPeerIdIsValidForTheProtocolIffThePeerModelTakesIt(@ForAll("candidates") String id) {
    assertEquals(accepts(() -> new Peer(id, "bob", KEY, null, null, null, null, null, Instant.EPOCH)),
        accepts(() -> new RegisterRequest(id, KEY, "p3oh17Si8Os9LAoeKY8G7J2IiRc6lLMmQO4olclRTVUuvlzl5udMYw",
            "i_wLqqhpokTtylhVr6jEPgqZ3WVfzUfdN2BB8pkDPYU")));
  }

  @Property(tries = 500)
  void aPartyNameIsValidForTheProtocolIffThePartyModelTakesIt(@ForAll("candidates") String name) {
    assertEquals(accepts(() -> new Party("QMQ0-BFWQ-PJB9", name, HOST.id(), Map.of(HOST.id(), HOST), Instant.EPOCH)),
        accepts(() -> new CreatePartyRequest(name, HOST)));
  }

  private static boolean accepts(Runnable construction) {
    try {
      construction.run();
      return true;
    } catch (IllegalArgumentException | NullPointerException rejected) {
      return false;
    }
  }
}
