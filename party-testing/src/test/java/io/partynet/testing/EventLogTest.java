package io.partynet.testing;

import io.partynet.DisbandReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.NatType;
import io.partynet.PartyInfo;
import io.partynet.IpPrefix;
import io.partynet.spi.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventLogTest {

  @Test
  void eventsAreTakenInOrderAndAnythingElseFailsAssertExhausted() {
    ControlPlaneEventRecorder events = new ControlPlaneEventRecorder();
    events.onPeerJoined("P", TestPeers.peer("b"));
    events.onSignal(new Signal("P", "b", "a", "punch", Map.of()));
    events.expectNext("peerJoined P b");
    AssertionError extra = assertThrows(AssertionError.class, events::assertExhausted);
    assertTrue(extra.getMessage().contains("signal P b punch"), extra.getMessage());
    events.expectNext("signal P b punch");
    assertEquals("a", events.signals().get(0).toPeerId());
    events.assertExhausted();
  }

  @Test
  void expectNextNamesWhatCameInstead() {
    ControlPlaneEventRecorder events = new ControlPlaneEventRecorder();
    events.onPartyDisbanded("P", DisbandReason.HOST_LEFT);
    AssertionError wrong = assertThrows(AssertionError.class, () -> events.expectNext("peerLeft b left"));
    assertTrue(wrong.getMessage().contains("partyDisbanded P host-left"), wrong.getMessage());
  }

  @Test
  void nextWaitsForAnEventFromAnotherThreadAndGivesUpAtTheDeadline() throws Exception {
    ControlPlaneEventRecorder events = new ControlPlaneEventRecorder();
    String partyId = io.partynet.InviteCode.generate(new java.util.Random(1));
    Thread later = new Thread(() -> events.onPartySnapshot(new PartyInfo(partyId, "lan", "a",
        List.of(TestPeers.peer("b", NatType.OPEN), TestPeers.peer("a")), Instant.EPOCH, IpPrefix.parse("10.77.0.0/16"))));
    later.start();
    assertEquals("snapshot " + partyId + " a,b", events.next(Duration.ofSeconds(5)));
    assertEquals(1, events.snapshots().size());
    later.join();
    assertThrows(AssertionError.class, () -> events.next(Duration.ofMillis(20)));
  }

  @Test
  void awaitFindsAnEventAnywhereWithoutTakingIt() {
    PartyEventRecorder events = new PartyEventRecorder();
    events.onPartyLeft("P");
    events.onPartyDisbanded("P", DisbandReason.GONE);
    events.await("partyDisbanded P gone");
    events.expectNext("partyLeft P");
    events.expectNext("partyDisbanded P gone");
    events.assertExhausted();
    assertEquals(java.util.Set.of(Thread.currentThread().getName()), events.threads());
  }
}
