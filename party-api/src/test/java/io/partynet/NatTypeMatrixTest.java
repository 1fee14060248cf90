package io.partynet;

import static io.partynet.NatType.FULL_CONE;
import static io.partynet.NatType.OPEN;
import static io.partynet.NatType.PORT_RESTRICTED_CONE;
import static io.partynet.NatType.RESTRICTED_CONE;
import static io.partynet.NatType.SYMMETRIC;
import static io.partynet.NatType.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class NatTypeMatrixTest {

  /** The seed's table, written out independently of the implementation. */
  private static final Map<NatType, Set<NatType>> SEED = Map.of(
      OPEN, EnumSet.of(OPEN, FULL_CONE, RESTRICTED_CONE, PORT_RESTRICTED_CONE, SYMMETRIC),
      FULL_CONE, EnumSet.of(OPEN, FULL_CONE, RESTRICTED_CONE, PORT_RESTRICTED_CONE),
      RESTRICTED_CONE, EnumSet.of(OPEN, FULL_CONE, RESTRICTED_CONE),
      PORT_RESTRICTED_CONE, EnumSet.of(OPEN, FULL_CONE),
      SYMMETRIC, EnumSet.of(OPEN),
      UNKNOWN, EnumSet.noneOf(NatType.class));

  @Property
  void matrixEqualsSeedTable(@ForAll NatType mine, @ForAll NatType theirs) {
    assertEquals(SEED.get(mine).contains(theirs), mine.canConnectDirectly(theirs),
        mine + " -> " + theirs);
  }

  @Test
  void everyTypeHasARow() {
    for (NatType t : NatType.values()) {
      assertEquals(SEED.get(t), t.directlyReachableFrom(), t.name());
    }
  }

  @Test
  void onlyUnknownRequiresRelay() {
    for (NatType t : NatType.values()) {
      assertEquals(t == UNKNOWN, t.requiresRelay(), t.name());
    }
  }

  @Property
  void compatiblePeersAreExactlyTheMatrixRow(@ForAll NatType mine, @ForAll("natTypes") List<NatType> members) {
    Party party = partyWith(members);
    List<Peer> compatible = party.getCompatiblePeers(mine);
    long expected = members.stream().filter(SEED.get(mine)::contains).count();
    assertEquals(expected, compatible.size());
    for (Peer p : compatible) {
      assertEquals(true, SEED.get(mine).contains(p.natType()));
    }
  }

  @Provide
  Arbitrary<List<NatType>> natTypes() {
    return Arbitraries.of(NatType.class).list().ofMaxSize(12);
  }

  private static Party partyWith(List<NatType> types) {
    String key = Key.fromBytes(new byte[32]).toBase64();
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    List<Peer> peers = new java.util.ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      peers.add(new Peer("p" + i, "peer " + i, key, "10.77.0." + (i + 1), null, null, ConnectionType.NONE,
          types.get(i), now));
    }
    String host = peers.isEmpty() ? "p0" : peers.get(0).id();
    return Party.of(InviteCode.generate(new java.util.Random(1)), "party", host, peers, now);
  }
}
