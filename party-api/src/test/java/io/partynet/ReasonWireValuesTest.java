package io.partynet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire values are a protocol: they never change, and every one maps back to its reason. */
class ReasonWireValuesTest {

  @Test
  void leaveReasonsKeepTheirWireValues() {
    assertEquals(List.of("left", "kicked", "stale", "removed"),
        Arrays.stream(LeaveReason.values()).map(LeaveReason::wireValue).toList());
    for (LeaveReason reason : LeaveReason.values()) {
      assertEquals(reason, LeaveReason.fromWire(reason.wireValue()));
      assertEquals(reason.wireValue(), reason.toString());
    }
  }

  @Test
  void disbandReasonsKeepTheirWireValues() {
    assertEquals(List.of("host-left", "disbanded", "empty", "host-stale", "gone"),
        Arrays.stream(DisbandReason.values()).map(DisbandReason::wireValue).toList());
    for (DisbandReason reason : DisbandReason.values()) {
      assertEquals(reason, DisbandReason.fromWire(reason.wireValue()));
      assertEquals(reason.wireValue(), reason.toString());
    }
  }

  @Test
  void unknownOrMissingWireValuesFromANewerPeerMapToTheGeneralReason() {
    assertEquals(LeaveReason.REMOVED, LeaveReason.fromWire("banned"));
    assertEquals(LeaveReason.REMOVED, LeaveReason.fromWire(null));
    assertEquals(DisbandReason.GONE, DisbandReason.fromWire("expired"));
    assertEquals(DisbandReason.GONE, DisbandReason.fromWire(null));
  }
}
