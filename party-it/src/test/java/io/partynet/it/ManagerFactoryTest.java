package io.partynet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.ControlPlaneUnavailableException;
import io.partynet.Party;
import io.partynet.PartyConfig;
import io.partynet.PartyManager;
import io.partynet.testing.FakeNetworkBackend;
import io.partynet.testing.ManagerHarness;
import io.partynet.testing.PartyEventRecorder;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PartyManager#builder()} with the real providers on the class path: it finds the factory,
 * keeps keys and state in the home, uses what the application passes, and falls back to the local
 * plane when the server cannot be reached (unless told not to).
 */
class ManagerFactoryTest {
  private final LocalPlane plane = new LocalPlane();
  private final ManagerHarness members = ManagerHarness.on(plane);

  @BeforeEach
  void attach() {
    plane.attach(members);
  }

  @AfterEach
  void closeAll() throws Exception {
    members.closeAll();
  }

  private PartyConfig config(String network) {
    return members.config("alice").toBuilder().networkBackend(network).build();
  }

  @Test
  void theBuilderFindsTheFactoryAndKeysAndStateLiveInTheHome() throws Exception {
    String peerId;
    Party party;
    try (PartyManager manager = PartyManager.builder().config(config("off")).clock(members.clock()).build()) {
      peerId = manager.myPeerId();
      party = manager.create("lan").get(10, TimeUnit.SECONDS);
      assertEquals("off", manager.status().get(10, TimeUnit.SECONDS).network());
      assertEquals("local", manager.status().get(10, TimeUnit.SECONDS).controlPlane(), "control.mode=local by default");
    }
    Path home = config("off").home();
    Path keyFile = Files.list(home.resolve("keys")).findFirst().orElseThrow();
    assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(keyFile), "the private key is readable by its owner only");
    assertTrue(Files.exists(config("off").stateFile()), "state is written to the home");

    PartyEventRecorder events = new PartyEventRecorder();
    try (PartyManager again = PartyManager.builder().config(config("off")).clock(members.clock()).listener(events)
        .build()) {
      assertEquals(peerId, again.myPeerId(), "the peer id is stable per home");
      assertEquals(party.id(), again.currentParty().orElseThrow().id(), "the party is resumed from the state file");
      events.await("partyJoined " + party.id());
      assertEquals(1, plane.party(party.id()).orElseThrow().peers().size());
    }
  }

  @Test
  void anExplicitBackendIsUsedAsGiven() throws Exception {
    FakeNetworkBackend backend = new FakeNetworkBackend("given");
    try (PartyManager manager = PartyManager.builder().config(config("auto")).networkBackend(backend)
        .clock(members.clock()).build()) {
      manager.create("lan").get(10, TimeUnit.SECONDS);
      assertEquals("given", manager.status().get(10, TimeUnit.SECONDS).network());
      assertTrue(backend.isUp());
    }
  }

  @Test
  void anUnreachableRemotePlaneFallsBackToLocalWhenTheApplicationAskedForIt() throws Exception {
    PartyEventRecorder events = new PartyEventRecorder();
    PartyConfig remote = config("off").toBuilder().controlMode("remote").controlServer(unusedLoopbackUri())
        .requestTimeout(Duration.ofSeconds(2)).controlFallbackToLocal(true).build();
    try (PartyManager manager = PartyManager.builder().config(remote).clock(members.clock()).listener(events).build()) {
      events.await("controlPlaneChanged local", Duration.ofSeconds(30));
      Party party = manager.create("lan").get(10, TimeUnit.SECONDS);
      assertEquals("local", manager.status().get(10, TimeUnit.SECONDS).controlPlane());
      assertTrue(plane.party(party.id()).isPresent(), "the party lives in the local discovery file");
    }
  }

  @Test
  void withoutFallbackAMemberWithoutAPartyFailsToStartWithATypedError() throws Exception {
    PartyConfig remote = config("off").toBuilder().controlMode("remote").controlServer(unusedLoopbackUri())
        .requestTimeout(Duration.ofSeconds(2)).build();
    assertThrows(ControlPlaneUnavailableException.class,
        () -> PartyManager.builder().config(remote).clock(members.clock()).build());
  }

  /** A loopback port nobody listens on (bound and released: connections to it are refused). */
  private static URI unusedLoopbackUri() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
  }
}
