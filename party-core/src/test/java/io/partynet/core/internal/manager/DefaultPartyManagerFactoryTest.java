package io.partynet.core.internal.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.BackendUnavailableException;
import io.partynet.Party;
import io.partynet.PartyConfig;
import io.partynet.PartyManager;
import io.partynet.core.testing.FakeNetworkBackend;
import io.partynet.core.testing.InMemoryControlPlaneHub;
import io.partynet.core.testing.ManualClock;
import io.partynet.core.testing.RecordingPartyListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PartyManager#builder()} finds the factory and fills what the application left out. */
class DefaultPartyManagerFactoryTest {
  private final ManualClock clock = ManualClock.startingAt("2026-01-02T00:00:00Z");
  private final InMemoryControlPlaneHub hub = new InMemoryControlPlaneHub(clock);

  @TempDir
  Path home;

  @AfterEach
  void closeHub() {
    hub.close();
  }

  private PartyConfig config(String network) {
    return PartyConfig.builder().home(home).peerName("alice").networkBackend(network)
        .persistBatchDelay(Duration.ofMillis(20)).build();
  }

  @Test
  void theBuilderFindsTheFactoryAndKeysAndStateLiveInTheHome() throws Exception {
    String peerId;
    Party party;
    try (InMemoryControlPlaneHub.Client plane = hub.client();
        PartyManager manager = PartyManager.builder().config(config("off")).controlPlane(plane).clock(clock).build()) {
      assertInstanceOf(DefaultPartyManager.class, manager);
      peerId = manager.myPeerId();
      party = manager.create("lan").get(10, TimeUnit.SECONDS);
      assertEquals("off", manager.status().get(10, TimeUnit.SECONDS).network());
    }
    Path keyFile = Files.list(home.resolve("keys")).findFirst().orElseThrow();
    assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(keyFile), "the private key is readable by its owner only");
    assertTrue(Files.exists(config("off").stateFile()), "state is written to the home");

    RecordingPartyListener events = new RecordingPartyListener();
    try (InMemoryControlPlaneHub.Client plane = hub.client();
        PartyManager again = PartyManager.builder().config(config("off")).controlPlane(plane).clock(clock)
            .listener(events).build()) {
      assertEquals(peerId, again.myPeerId(), "the peer id is stable per home");
      assertEquals(party.id(), again.currentParty().orElseThrow().id(), "the party is resumed from the state file");
      events.await("partyJoined " + party.id());
      assertEquals(1, hub.party(party.id()).orElseThrow().peers().size());
    }
  }

  @Test
  void anExplicitBackendIsUsedAsGiven() throws Exception {
    FakeNetworkBackend backend = new FakeNetworkBackend("given");
    try (InMemoryControlPlaneHub.Client plane = hub.client();
        PartyManager manager = PartyManager.builder().config(config("auto")).controlPlane(plane)
            .networkBackend(backend).clock(clock).build()) {
      manager.create("lan").get(10, TimeUnit.SECONDS);
      assertEquals("given", manager.status().get(10, TimeUnit.SECONDS).network());
      assertTrue(backend.isUp());
    }
  }

  @Test
  void autoWithNoBackendOnTheClassPathSaysWhatToAdd() {
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
        () -> PartyManager.builder().config(config("auto")).controlPlane(hub.client()).clock(clock).build());
    assertTrue(e.getMessage().contains("network.backend=off"), e.getMessage());
  }

  @Test
  void aMissingControlPlaneModuleSaysWhichToAdd() {
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
        () -> PartyManager.builder().config(config("off")).clock(clock).build());
    assertTrue(e.getMessage().contains("party-control-local"), e.getMessage());
  }
}
