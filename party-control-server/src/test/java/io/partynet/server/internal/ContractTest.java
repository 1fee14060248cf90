package io.partynet.server.internal;

import io.partynet.testing.ControlPlaneEventRecorder;
import static io.partynet.server.internal.ServerFixture.peer;
import static io.partynet.server.internal.ServerFixture.randomKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.ControlPlaneUnavailableException;
import io.partynet.Endpoint;
import io.partynet.InviteCode;
import io.partynet.Key;
import io.partynet.PartyException;
import io.partynet.PartyInfo;
import io.partynet.PartyNotFoundException;
import io.partynet.remote.internal.RemoteControlPlaneClient;
import io.partynet.spi.Signal;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real client against the real server for every endpoint and event of protocol v1. */
class ContractTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;
  ServerFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    fx = new ServerFixture(dir);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private record Member(String id, Key key, RemoteControlPlaneClient client, ControlPlaneEventRecorder events) {}

  private Member member(String id) {
    Key key = randomKey();
    RemoteControlPlaneClient client = fx.client();
    ControlPlaneEventRecorder events = new ControlPlaneEventRecorder();
    client.addListener(events);
    client.start(id, key).join();
    ServerFixture.await(id + " event stream up", WAIT, client::isConnected);
    return new Member(id, key, client, events);
  }

  @Test
  void fullPartyLifecycleWithEveryEvent() {
    Member a = member("alice");
    Member b = member("bob");
    Member c = member("carol");

    PartyInfo created = a.client.createParty("Friday night", peer("alice", a.key)).join();
    String party = created.partyId();
    assertTrue(InviteCode.isValid(party));
    assertEquals("alice", created.hostId());
    assertEquals("10.77.0.1", created.peer("alice").virtualIp());
    assertEquals("10.77.0.0/16", created.subnet().toString());

    PartyInfo joined = b.client.joinParty(party, peer("bob", b.key)).join();
    assertEquals(2, joined.peers().size());
    assertEquals("10.77.0.2", joined.peer("bob").virtualIp());
    a.events.await("peerJoined " + party + " bob", WAIT);

    PartyInfo again = b.client.joinParty(party, peer("bob", b.key)).join();
    assertEquals("10.77.0.2", again.peer("bob").virtualIp(), "joining twice is idempotent");

    Optional<PartyInfo> seen = b.client.getParty(party).join();
    assertEquals(2, seen.orElseThrow().peers().size());
    assertEquals(Optional.empty(), b.client.getParty(InviteCode.generate()).join());

    Endpoint endpoint = Endpoint.parse("198.51.100.7:51820");
    b.client.updatePeer(party, peer("bob", b.key).withEndpoint(endpoint)).join();
    a.events.await("peerUpdated " + party + " bob " + endpoint, WAIT);
    assertEquals(endpoint, a.client.getParty(party).join().orElseThrow().peer("bob").endpoint());

    b.client.heartbeat(party, "bob").join();

    a.client.signal(new Signal(party, "alice", "bob", "punch-now", Map.of("at", "123"))).join();
    b.events.await("signal " + party + " alice punch-now", WAIT);
    synchronized (b.events) {
      assertEquals(Map.of("at", "123"), b.events.signals().get(0).data());
      assertEquals("bob", b.events.signals().get(0).toPeerId());
    }
    assertEquals(0, a.events.count(e -> e.startsWith("signal")), "a signal goes to its recipient only");

    c.client.joinParty(party, peer("carol", c.key)).join();
    a.client.kick(party, "alice", "carol").join();
    c.events.await("peerLeft " + party + " carol kicked", WAIT);
    b.events.await("peerLeft " + party + " carol kicked", WAIT);

    CompletionException banned = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
        () -> c.client.joinParty(party, peer("carol", c.key)).join());
    assertEquals(PartyException.Reason.FORBIDDEN, ((PartyException) banned.getCause()).reason(),
        "a kick lasts for the party's life");

    b.client.leaveParty(party, "bob").join();
    a.events.await("peerLeft " + party + " bob left", WAIT);

    b.client.joinParty(party, peer("bob", b.key)).join();
    a.client.disband(party, "alice").join();
    b.events.await("partyDisbanded " + party + " disbanded", WAIT);
    assertEquals(Optional.empty(), a.client.getParty(party).join());
  }

  @Test
  void eventsArriveInOrderWithoutDuplicates() {
    Member a = member("host1");
    Member b = member("guest1");
    String party = a.client.createParty("ordered", peer("host1", a.key)).join().partyId();
    b.client.joinParty(party, peer("guest1", b.key)).join();
    for (int i = 1; i <= 20; i++) {
      a.client.signal(new Signal(party, "host1", "guest1", "n", Map.of("i", Integer.toString(i)))).join();
    }
    ServerFixture.await("20 signals", WAIT, () -> b.events.count(e -> e.startsWith("signal")) == 20);
    synchronized (b.events) {
      for (int i = 0; i < 20; i++) {
        assertEquals(Integer.toString(i + 1), b.events.signals().get(i).data().get("i"));
      }
    }
  }

  @Test
  void hostLeavingDisbandsForEveryone() {
    Member a = member("h");
    Member b = member("g");
    String party = a.client.createParty("short", peer("h", a.key)).join().partyId();
    b.client.joinParty(party, peer("g", b.key)).join();
    a.client.leaveParty(party, "h").join();
    b.events.await("partyDisbanded " + party + " host-left", WAIT);
  }

  @Test
  void cleanupRemovesMembersWhoseHeartbeatsStopped() {
    Member a = member("steady");
    Member b = member("silent");
    String party = a.client.createParty("stale", peer("steady", a.key)).join().partyId();
    b.client.joinParty(party, peer("silent", b.key)).join();
    fx.clock.advance(Duration.ofSeconds(60));
    a.client.heartbeat(party, "steady").join();
    fx.clock.advance(Duration.ofSeconds(40));
    assertEquals(1, fx.server.cleanupNow().removedPeers().size());
    a.events.await("peerLeft " + party + " silent stale", WAIT);
    assertEquals(1, a.client.getParty(party).join().orElseThrow().peers().size());
  }

  @Test
  void clientHeartbeatsOnItsOwnSchedule() {
    Key key = randomKey();
    RemoteControlPlaneClient client = RemoteControlPlaneClient.builder(fx.uri()).requestTimeout(Duration.ofSeconds(20))
        .keyring(ServerFixture::privateKeyOf)
        .heartbeatInterval(Duration.ofMillis(50)).build();
    try {
      client.start("beating", key).join();
      String party = client.createParty("alive", peer("beating", key)).join().partyId();
      java.time.Instant joined = fx.server.lastSeen(party, "beating").orElseThrow();
      fx.clock.advance(Duration.ofSeconds(60));
      ServerFixture.await("an automatic heartbeat after the clock moved", WAIT,
          () -> fx.server.lastSeen(party, "beating").orElseThrow().isAfter(joined));
    } finally {
      client.close();
    }
  }

  @Test
  void aListenerAddedAfterTheStreamCameUpHearsThatItIsConnected() {
    Member a = member("early");
    ControlPlaneEventRecorder late = new ControlPlaneEventRecorder();
    // The manager adds its listener only after starting the plane, and the stream may be up by then.
    a.client.addListener(late);
    late.await("connected", WAIT);
    assertEquals(java.util.List.of("connected"), late.events());
  }

  @Test
  void missingPartyIsATypedError() {
    Member a = member("lonely");
    CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
        () -> a.client.joinParty(InviteCode.generate(), peer("lonely", a.key)).join());
    assertInstanceOf(PartyNotFoundException.class, e.getCause());
  }

  @Test
  void startFailsFastWhenTheServerIsUnreachable() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (RemoteControlPlaneClient client = RemoteControlPlaneClient.builder(URI.create("http://127.0.0.1:" + closedPort))
        .requestTimeout(Duration.ofSeconds(2)).build()) {
      long started = System.nanoTime();
      CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
          () -> client.start("nobody", randomKey()).join());
      assertInstanceOf(ControlPlaneUnavailableException.class, e.getCause());
      assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(3), "fails fast");
      assertFalse(client.isConnected());
    }
  }
}
