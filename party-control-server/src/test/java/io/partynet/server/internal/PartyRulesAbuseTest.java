package io.partynet.server.internal;

import static io.partynet.server.internal.ServerFixture.peer;
import static io.partynet.server.internal.ServerFixture.randomKey;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partynet.Key;
import io.partynet.protocol.internal.Account;
import io.partynet.protocol.internal.CreatePartyRequest;
import io.partynet.protocol.internal.EventMessage;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Abuse suite, issue 16 item 15: the party cap holds under concurrency, a resume tells a stranger
 * nothing, sequence arithmetic cannot overflow, and a kick lasts for the party's life.
 */
class PartyRulesAbuseTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  ServerFixture fx;
  RawApi api;

  @BeforeEach
  void setUp() throws Exception {
    fx = new ServerFixture(dir);
    api = new RawApi(fx.port);
  }

  @AfterEach
  void tearDown() {
    api.close();
    fx.close();
  }

  @Test
  void simultaneousCreatesNeverExceedThePerPeerCap() throws Exception {
    Key key = randomKey();
    String token = api.register("greedy", key);
    String body = ProtocolJson.write(new CreatePartyRequest("mine", peer("greedy", key)));
    ExecutorService pool = Executors.newFixedThreadPool(38);
    try {
      List<Callable<Integer>> creates = new ArrayList<>();
      for (int i = 0; i < 38; i++) {
        creates.add(() -> api.send("POST", Protocol.PARTIES, token, body).status());
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> f : pool.invokeAll(creates)) {
        statuses.add(f.get());
      }
      assertEquals(Protocol.MAX_PARTIES_PER_PEER, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
    } finally {
      pool.shutdownNow();
    }
    Account me = api.send("GET", Protocol.ME, token, null).as(Account.class);
    assertEquals(Protocol.MAX_PARTIES_PER_PEER, me.parties().size());
  }

  @Test
  void aResumeTellsAStrangerNothingAboutAParty() throws Exception {
    Key hostKey = randomKey();
    String host = api.register("host", hostKey);
    String party = api.createParty(host, "secret", "host", hostKey);
    String disbanded = api.createParty(host, "over", "host", hostKey);
    api.send("DELETE", Protocol.party(disbanded), host, null);
    String never = io.partynet.InviteCode.generate();
    String stranger = api.register("stranger", randomKey());

    List<EventMessage> answer = RawEventStream.resume(fx.port, stranger, Map.of(party, 7L, disbanded, 7L, never, 7L), WAIT);
    Map<String, String> byParty = answer.stream().filter(e -> e.partyId() != null)
        .collect(Collectors.toMap(EventMessage::partyId, e -> e.type() + "#" + e.seq() + ":" + e.reason()));
    String nothing = Protocol.EVENT_PARTY_DISBANDED + "#8:gone";
    assertEquals(Map.of(party, nothing, disbanded, nothing, never, nothing), byParty,
        "an existing, a disbanded and an unknown party look the same to a stranger");
  }

  @Test
  void theLargestSequenceNumberDoesNotOverflow() throws Exception {
    String stranger = api.register("counter", randomKey());
    String never = io.partynet.InviteCode.generate();
    List<EventMessage> answer = RawEventStream.resume(fx.port, stranger, Map.of(never, Long.MAX_VALUE), WAIT);
    assertEquals(Long.MAX_VALUE, answer.get(0).seq(), answer.toString());
  }

  @Test
  void aKickedMemberCannotRejoinForThePartysLifeEvenAcrossARestart() throws Exception {
    Key hostKey = randomKey();
    Key guestKey = randomKey();
    String host = api.register("host", hostKey);
    String guest = api.register("guest", guestKey);
    String party = api.createParty(host, "strict", "host", hostKey);
    String join = ProtocolJson.write(peer("guest", guestKey));
    assertEquals(200, api.send("POST", Protocol.members(party), guest, join).status());
    assertEquals(204, api.send("POST", Protocol.kick(party, "guest"), host, null).status());

    RawApi.Answer again = api.send("POST", Protocol.members(party), guest, join);
    assertEquals(403, again.status(), again.body());
    assertEquals("FORBIDDEN", again.code());

    fx.restart();
    api.close();
    api = new RawApi(fx.port);
    RawApi.Answer afterRestart = api.send("POST", Protocol.members(party), guest, join);
    assertEquals(403, afterRestart.status(), afterRestart.body());

    // The ban ends with the party: a new party by the same host lets the player in.
    api.send("DELETE", Protocol.party(party), host, null);
    String next = api.createParty(host, "fresh", "host", hostKey);
    assertEquals(200, api.send("POST", Protocol.members(next), guest, join).status());
  }
}
