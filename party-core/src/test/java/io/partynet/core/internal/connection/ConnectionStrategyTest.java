package io.partynet.core.internal.connection;

import static io.partynet.NatType.FULL_CONE;
import static io.partynet.NatType.OPEN;
import static io.partynet.NatType.PORT_RESTRICTED_CONE;
import static io.partynet.NatType.RESTRICTED_CONE;
import static io.partynet.NatType.SYMMETRIC;
import static io.partynet.NatType.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.NatType;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ConnectionStrategyTest {

  @Property
  void bothMembersComputeTheSamePlanWhenBothAdvertised(@ForAll NatType a, @ForAll NatType b, @ForAll boolean relay) {
    assertEquals(ConnectionStrategy.plan(a, b, true, true, relay), ConnectionStrategy.plan(b, a, true, true, relay));
  }

  @Property
  void withOnlyThePeersEndpointTheLocalSideStillAimsAtIt(@ForAll NatType a, @ForAll NatType b) {
    List<PathKind> plan = ConnectionStrategy.plan(a, b, false, true, false);
    assertEquals(ConnectionStrategy.punchCanWork(a, b) ? List.of(PathKind.PUNCH) : List.of(), plan);
  }

  @Property
  void directExactlyWhenTheMatrixGuaranteesIt(@ForAll NatType a, @ForAll NatType b, @ForAll boolean relay) {
    boolean matrix = a.canConnectDirectly(b) || b.canConnectDirectly(a);
    assertEquals(matrix, ConnectionStrategy.plan(a, b, true, true, relay).contains(PathKind.DIRECT));
  }

  @Property
  void theRelayIsAlwaysTheLastResortWhenConfigured(@ForAll NatType a, @ForAll NatType b, @ForAll boolean endpoints) {
    List<PathKind> plan = ConnectionStrategy.plan(a, b, endpoints, endpoints, true);
    assertEquals(PathKind.RELAY, plan.get(plan.size() - 1));
    assertEquals(1, plan.stream().filter(p -> p == PathKind.RELAY).count());
  }

  @Property
  void withoutEndpointsOnlyTheRelayRemains(@ForAll NatType a, @ForAll NatType b, @ForAll boolean relay) {
    assertEquals(relay ? List.of(PathKind.RELAY) : List.of(), ConnectionStrategy.plan(a, b, false, false, relay));
  }

  @Test
  void theLabsExpectationsPerPair() {
    // Pairs issue 7 requires to be direct (a punch counts as direct).
    for (NatType other : List.of(OPEN, FULL_CONE, RESTRICTED_CONE, PORT_RESTRICTED_CONE, SYMMETRIC)) {
      assertEquals(PathKind.DIRECT, ConnectionStrategy.plan(OPEN, other, true, true, true).get(0), "open-" + other);
    }
    for (NatType other : List.of(OPEN, FULL_CONE, RESTRICTED_CONE, PORT_RESTRICTED_CONE)) {
      assertEquals(PathKind.DIRECT, ConnectionStrategy.plan(FULL_CONE, other, true, true, true).get(0), "full-" + other);
    }
    assertEquals(List.of(PathKind.PUNCH, PathKind.RELAY),
        ConnectionStrategy.plan(PORT_RESTRICTED_CONE, PORT_RESTRICTED_CONE, true, true, true));
    // Pairs that must go through the relay.
    assertEquals(List.of(PathKind.RELAY), ConnectionStrategy.plan(SYMMETRIC, SYMMETRIC, true, true, true));
    assertEquals(List.of(PathKind.RELAY), ConnectionStrategy.plan(SYMMETRIC, PORT_RESTRICTED_CONE, true, true, true));
    // Full cone with symmetric: WireGuard roams to the symmetric side's real port (lab.md).
    assertEquals(List.of(PathKind.PUNCH, PathKind.RELAY), ConnectionStrategy.plan(SYMMETRIC, FULL_CONE, true, true, true));
    assertEquals(List.of(PathKind.PUNCH), ConnectionStrategy.plan(UNKNOWN, OPEN, true, true, false),
        "unknown is never guaranteed, but a punch is worth one handshake");
    assertTrue(ConnectionStrategy.plan(UNKNOWN, OPEN, false, false, false).isEmpty(), "nothing to aim at, no relay");
  }
}
