package io.partynet.server.internal;

import static io.partynet.server.internal.ServerFixture.peer;
import static io.partynet.server.internal.ServerFixture.randomKey;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partynet.InviteCode;
import io.partynet.Key;
import io.partynet.protocol.internal.EventMessage;
import io.partynet.protocol.internal.PartyResponse;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.protocol.internal.ResumeMessage;
import io.partynet.spi.Signal;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event stream's resume rules, frame by frame: replay, snapshot, removal and disband. */
class ResumeProtocolTest {
  private static final int DEPTH = 4;

  @TempDir Path dir;
  ServerFixture fx;
  RawApi api;
  Key aKey = randomKey();
  Key bKey = randomKey();
  String a;
  String b;
  String party;

  @BeforeEach
  void setUp() throws Exception {
    fx = new ServerFixture(dir, builder -> builder.replayDepth(DEPTH));
    api = new RawApi(fx.port);
    a = api.register("a", aKey);
    b = api.register("b", bKey);
    party = api.createParty(a, "resume", "a", aKey);
    PartyResponse joined = api.join(b, party, "b", bKey)
        .as(PartyResponse.class);
    assertEquals(2, joined.seq(), "create (host joined) is event 1, the join event 2");
  }

  @AfterEach
  void tearDown() {
    api.close();
    fx.close();
  }

  private void signalB(int n) {
    for (int i = 0; i < n; i++) {
      assertEquals(202, api.send("POST", Protocol.signals(party), a,
          ProtocolJson.write(new Signal(party, "a", "b", "ping", Map.of()))).status());
    }
  }

  /** Opens a stream as {@code token}, sends a resume and returns every frame up to {@code ready}. */
  private List<EventMessage> resume(String token, Map<String, Long> parties) throws Exception {
    List<EventMessage> frames = new ArrayList<>();
    CompletableFuture<List<EventMessage>> done = new CompletableFuture<>();
    WebSocketClient ws = new WebSocketClient(URI.create("ws://127.0.0.1:" + fx.port + Protocol.EVENTS),
        Map.of(Protocol.AUTHORIZATION, Protocol.BEARER + token)) {
      @Override public void onOpen(ServerHandshake h) { send(ProtocolJson.write(ResumeMessage.of(parties))); }
      @Override public void onMessage(String m) {
        try {
          EventMessage e = ProtocolJson.lenient().readValue(m, EventMessage.class);
          if (e.type().equals(Protocol.EVENT_READY)) {
            done.complete(List.copyOf(frames));
          } else {
            frames.add(e);
          }
        } catch (IOException ex) {
          done.completeExceptionally(ex);
        }
      }
      @Override public void onClose(int code, String reason, boolean remote) {
        done.completeExceptionally(new AssertionError("closed " + code + " " + reason));
      }
      @Override public void onError(Exception e) {}
    };
    ws.connect();
    try {
      return done.get(10, TimeUnit.SECONDS);
    } finally {
      ws.closeBlocking();
    }
  }

  private static String describe(List<EventMessage> events) {
    StringBuilder sb = new StringBuilder();
    for (EventMessage e : events) {
      sb.append(e.type()).append('#').append(e.seq()).append(e.reason() == null ? "" : ":" + e.reason()).append(' ');
    }
    return sb.toString().trim();
  }

  @Test
  void upToDateClientGetsNothingButReady() throws Exception {
    assertEquals("", describe(resume(b, Map.of(party, 2L))));
  }

  @Test
  void missedEventsAreReplayedWhileBuffered() throws Exception {
    signalB(2);
    assertEquals("signal#3 signal#4", describe(resume(b, Map.of(party, 2L))));
    assertEquals("signal#4", describe(resume(b, Map.of(party, 3L))));
    assertEquals("", describe(resume(a, Map.of(party, 2L))), "signals to b are not replayed to a");
  }

  @Test
  void tooOldOrFutureGapsGetASnapshot() throws Exception {
    signalB(DEPTH + 3);
    List<EventMessage> old = resume(b, Map.of(party, 2L));
    assertEquals("snapshot#" + (2 + DEPTH + 3), describe(old));
    assertEquals(2, old.get(0).party().peers().size());
    assertEquals("snapshot#" + (2 + DEPTH + 3), describe(resume(b, Map.of(party, 1000L))));
  }

  @Test
  void partiesNotNamedInTheResumeGetASnapshot() throws Exception {
    assertEquals("snapshot#2", describe(resume(b, Map.of())));
  }

  @Test
  void aRemovedPeerLearnsItOnResume() throws Exception {
    assertEquals(204, api.send("POST", Protocol.kick(party, "b"), a, null).status());
    assertEquals("peer-left#3:kicked", describe(resume(b, Map.of(party, 2L))));
    signalB(0);
    for (int i = 0; i < DEPTH + 1; i++) {
      api.send("PUT", Protocol.member(party, "a"), a, ProtocolJson.write(peer("a", aKey).withLatencyMs((double) i)));
    }
    assertEquals("peer-left#" + (3 + DEPTH + 1) + ":removed", describe(resume(b, Map.of(party, 2L))));
  }

  @Test
  void disbandedAndUnknownPartiesAreReportedGone() throws Exception {
    assertEquals(204, api.send("DELETE", Protocol.party(party), a, null).status());
    assertEquals("party-disbanded#3:disbanded", describe(resume(b, Map.of(party, 2L))));
    String never = InviteCode.generate();
    assertEquals("party-disbanded#6:gone", describe(resume(b, Map.of(never, 5L))));
  }
}
