package io.partynet.server.internal;

import static io.partynet.server.internal.ServerFixture.peer;
import static io.partynet.server.internal.ServerFixture.randomKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Key;
import io.partynet.protocol.internal.EventMessage;
import io.partynet.protocol.internal.PartyResponse;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.spi.Signal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Abuse suite, issue 16 items 10 and 13, against the real server in a child JVM: sequence numbers
 * never go back across a SIGKILL, and SIGTERM is a clean stop with exit code 0.
 */
class CrashAbuseTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Test
  void aClientResumingFromBeforeASigkillMissesNothing() throws Exception {
    try (ServerProcess server = new ServerProcess(dir).start()) {
      RawApi api = new RawApi(server.port);
      Key hostKey = randomKey();
      Key guestKey = randomKey();
      String host = api.register("host", hostKey);
      String guest = api.register("guest", guestKey);
      String party = api.createParty(host, "crash", "host", hostKey);
      api.join(guest, party, "guest", guestKey);
      for (int i = 0; i < 3; i++) {
        assertEquals(202, api.send("POST", Protocol.signals(party), host, ProtocolJson.write(
            new Signal(party, "host", "guest", "punch-now", Map.of("n", String.valueOf(i))))).status());
      }
      long seenByGuest = seq(api, party, guest);
      api.close();

      server.kill();
      server.start();

      RawApi after = new RawApi(server.port);
      Key lateKey = randomKey();
      String late = after.register("late", lateKey);
      after.join(late, party, "late", lateKey);
      long now = seq(after, party, host);
      assertTrue(now > seenByGuest, "sequence numbers went back: " + seenByGuest + " before the crash, " + now
          + " after a join that followed it");
      List<EventMessage> answer = RawEventStream.resume(server.port, guest, Map.of(party, seenByGuest), WAIT);
      boolean learnedOfLate = answer.stream().anyMatch(e ->
          (e.type().equals(Protocol.EVENT_PEER_JOINED) && e.peer().id().equals("late"))
              || (e.type().equals(Protocol.EVENT_SNAPSHOT) && e.party().peer("late") != null));
      assertTrue(learnedOfLate, "the guest resuming from " + seenByGuest + " must learn that 'late' joined: " + answer);
      after.close();
    }
  }

  @Test
  void sigtermStopsGracefullyWithExitCodeZero() throws Exception {
    try (ServerProcess server = new ServerProcess(dir).start()) {
      assertEquals(0, server.terminate(), server.logText());
      assertTrue(server.logText().contains("control plane server stopped"), server.logText());
    }
  }

  private static long seq(RawApi api, String party, String token) {
    RawApi.Answer view = api.send("GET", Protocol.party(party), token, null);
    assertEquals(200, view.status(), view.body());
    return view.as(PartyResponse.class).seq();
  }
}
