package io.partynet.server.internal;

import static io.partynet.server.internal.ServerFixture.peer;
import static io.partynet.server.internal.ServerFixture.randomKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Key;
import io.partynet.protocol.internal.CreatePartyRequest;
import io.partynet.protocol.internal.EventMessage;
import io.partynet.protocol.internal.PartyResponse;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.server.testing.PostgresDatabase;
import io.partynet.spi.Signal;
import io.partynet.testing.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real servers (child JVMs) on one real PostgreSQL database: one active, one standing by.
 * A second active instance is refused; SIGKILL of the active one lets the standby take over with
 * every acknowledged change, registrations included, and sequence numbers that never go back.
 */
class StandbyTakeoverTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  @RegisterExtension final PostgresDatabase db = new PostgresDatabase();

  private ServerProcess server(String name, String... extra) throws Exception {
    Path home = Files.createDirectories(dir.resolve(name));
    String[] args = new String[extra.length + 2];
    args[0] = "--store";
    args[1] = db.storeUrl();
    System.arraycopy(extra, 0, args, 2, extra.length);
    return new ServerProcess(home, args);
  }

  @Test
  void aSecondActiveInstanceIsRefusedWithAPointerToStandby() throws Exception {
    try (ServerProcess active = server("a").start(); ServerProcess second = server("b").launch()) {
      assertEquals(1, second.awaitExit(WAIT), second.logText());
      assertTrue(second.logText().contains("another server instance is active") && second.logText().contains("--standby"),
          second.logText());
      assertEquals(0, active.terminate(), active.logText());
    }
  }

  @Test
  void theStandbyTakesOverAfterASigkillWithEveryAcknowledgedChange() throws Exception {
    try (ServerProcess active = server("a").start(); ServerProcess standby = server("b", "--standby").launch()) {
      awaitLog(() -> standby.logText().contains("standby: another instance is active"), standby);
      RawApi api = new RawApi(active.port);
      Key hostKey = randomKey();
      Key guestKey = randomKey();
      String host = api.register("host", hostKey);
      String guest = api.register("guest", guestKey);
      String party = api.send("POST", Protocol.PARTIES, host,
          ProtocolJson.write(new CreatePartyRequest("standby", peer("host", hostKey))))
          .as(PartyResponse.class).party().partyId();
      api.send("POST", Protocol.members(party), guest, ProtocolJson.write(peer("guest", guestKey)));
      assertEquals(202, api.send("POST", Protocol.signals(party), host, ProtocolJson.write(
          new Signal(party, "host", "guest", "punch-now", Map.of()))).status());
      long seenByGuest = api.send("GET", Protocol.party(party), guest, null).as(PartyResponse.class).seq();
      api.close();

      active.kill();
      standby.awaitListening(WAIT);

      RawApi after = new RawApi(standby.port);
      RawApi.Answer view = after.send("GET", Protocol.party(party), host, null);
      assertEquals(200, view.status(), "the host's token and party survive the takeover: " + view.body());
      assertEquals(2, view.as(PartyResponse.class).party().peers().size(), view.body());
      Key lateKey = randomKey();
      String late = after.register("late", lateKey);
      after.send("POST", Protocol.members(party), late, ProtocolJson.write(peer("late", lateKey)));
      long now = after.send("GET", Protocol.party(party), host, null).as(PartyResponse.class).seq();
      assertTrue(now > seenByGuest, "sequence numbers went back across the takeover: " + seenByGuest + " -> " + now);
      List<EventMessage> answer = RawEventStream.resume(standby.port, guest, Map.of(party, seenByGuest), WAIT);
      assertTrue(answer.stream().anyMatch(e -> e.type().equals(Protocol.EVENT_SNAPSHOT)
          && e.party().peer("late") != null), "the guest learns of the join after the takeover: " + answer);
      after.close();
      assertEquals(0, standby.terminate(), standby.logText());
    }
  }

  private static void awaitLog(BooleanSupplier condition, ServerProcess process) {
    Eventually.until(WAIT, condition, () -> "log:\n" + process.logText());
  }
}
