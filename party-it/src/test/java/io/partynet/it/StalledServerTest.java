package io.partynet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Party;
import io.partynet.PartyException;
import io.partynet.PartyInfo;
import io.partynet.PartyStatus;
import io.partynet.remote.internal.RemoteControlPlaneClient;
import io.partynet.server.testing.ControlServerExtension;
import io.partynet.testing.Eventually;
import io.partynet.testing.ManagerHarness;
import io.partynet.testing.ManagerHarness.Member;
import io.partynet.testing.StallingProxy;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real server that stops answering (issue 16 items 5 and 6): members reach it through a
 * {@link StallingProxy} that accepts connections and then passes nothing, or passes requests
 * only after the client gave up.
 */
class StalledServerTest {
  /** Shorter than the harness's so the stalled calls end within the test. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final RemotePlane plane = new RemotePlane();
  @RegisterExtension
  final ManagerHarness members = ManagerHarness.on(plane);
  private StallingProxy proxy;

  @BeforeEach
  void startServer() {
    plane.attach(members);
  }

  @AfterEach
  void closeProxy() {
    if (proxy != null) {
      proxy.close();
    }
    plane.close();
  }

  private ControlServerExtension server() {
    return plane.server();
  }

  /** A member whose every control-plane call (and event stream) goes through the proxy. */
  private Member throughProxy(String name, Duration heartbeat) {
    ManagerHarness.MemberSpec spec = members.member(name)
        .config(c -> c.heartbeatInterval(heartbeat).requestTimeout(REQUEST_TIMEOUT));
    return spec.controlPlane(RemoteControlPlaneClient.fromConfig(members.config(name).toBuilder()
        .requestTimeout(REQUEST_TIMEOUT).controlMode("remote").controlServer(proxy.uri()).build())).start();
  }

  @Test
  void aStalledServerDelaysNeitherStatusNorLeave() throws Exception {
    proxy = StallingProxy.to(server().uri());
    // Heartbeats far more often than a request can time out: before, they piled up on the worker.
    Member alice = throughProxy("alice", Duration.ofMillis(100));
    Party party = alice.manager().create("stalled").get(WAIT.toSeconds(), TimeUnit.SECONDS);

    proxy.stall();
    Eventually.until(WAIT, () -> proxy.heldRequests() > 0, "a heartbeat is stuck in the stalled server");

    // Answered from local state: well within one request timeout, however many heartbeats wait.
    PartyStatus status = alice.manager().status().get(REQUEST_TIMEOUT.toMillis() / 2, TimeUnit.MILLISECONDS);
    assertEquals(party.id(), status.partyId());

    // Leaving is local at once and tells the server within one request timeout, never later.
    alice.manager().leave().get(REQUEST_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    assertTrue(alice.manager().currentParty().isEmpty());
    assertFalse(alice.backend().isUp(), "the tunnels are down");
    alice.events().await("partyLeft " + party.id());

    Member restarted = alice.restart();
    assertTrue(restarted.manager().currentParty().isEmpty(), "the persisted party was cleared");
  }

  @Test
  void aJoinThatTimedOutButLandedIsTakenBackInsteadOfLeavingAGhost() throws Exception {
    ControlServerExtension server = server();
    proxy = StallingProxy.to(server.uri());
    Member alice = members.start("alice");
    Party party = alice.manager().create("ghosts").get(WAIT.toSeconds(), TimeUnit.SECONDS);
    Member bob = throughProxy("bob", Duration.ofMillis(300));

    // The server gets bob's join only after bob has given up on it.
    proxy.delayRequests(REQUEST_TIMEOUT.multipliedBy(2));
    ExecutionException failed = assertThrows(ExecutionException.class,
        () -> bob.manager().join(party.id(), "bob").get(WAIT.toSeconds(), TimeUnit.SECONDS));
    PartyException error = assertInstanceOf(PartyException.class, failed.getCause());
    assertTrue(error.reason() == PartyException.Reason.TIMEOUT
        || error.reason() == PartyException.Reason.CONTROL_PLANE_UNAVAILABLE, error.toString());
    assertTrue(bob.manager().currentParty().isEmpty());

    alice.events().await("peerJoined bob", WAIT);
    proxy.forward(); // whatever else bob's client sent arrives now
    // Before: bob stayed a member on the server until the stale timeout (10 minutes here).
    Eventually.until(WAIT, () -> server.server().party(party.id()).map(PartyInfo::peers)
        .map(peers -> peers.stream().noneMatch(p -> p.id().equals(bob.id()))).orElse(false)
        && alice.events().events().contains("peerLeft bob left"),
        "bob took himself out of the party again");
  }

  @Test
  void aRetriedJoinLandsOnce() throws Exception {
    ControlServerExtension server = server();
    Member alice = members.start("alice");
    Party party = alice.manager().create("retries").get(WAIT.toSeconds(), TimeUnit.SECONDS);
    Member bob = members.start("bob");
    bob.manager().join(party.id(), "bob").get(WAIT.toSeconds(), TimeUnit.SECONDS);
    alice.events().await("peerJoined bob", WAIT);

    // The same join sent again, as a client retries when the first answer was lost.
    PartyInfo again = bob.plane().joinParty(party.id(), bob.self()).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertEquals(2, again.peers().size());
    assertEquals(2, server.server().party(party.id()).orElseThrow().peers().size());
    // Events arrive in order: whatever the retry announced came before bob's leaving.
    bob.manager().leave().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    alice.events().await("peerLeft bob left", WAIT);
    assertEquals(1, alice.events().count("peerJoined bob"::equals), "one member, announced once");
  }
}
