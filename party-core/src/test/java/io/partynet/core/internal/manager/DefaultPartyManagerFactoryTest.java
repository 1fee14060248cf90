package io.partynet.core.internal.manager;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.BackendUnavailableException;
import io.partynet.PartyConfig;
import io.partynet.PartyManager;
import io.partynet.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link PartyManager#builder()} says when a module is missing: party-core's own class path
 * has no control plane and no network backend. (The builder with the real providers is tested in
 * party-it's ManagerFactoryTest.)
 */
class DefaultPartyManagerFactoryTest {
  private final ManualClock clock = ManualClock.startingAt("2026-01-02T00:00:00Z");

  @TempDir
  Path home;

  private PartyConfig config(String network) {
    return PartyConfig.builder().home(home).peerName("alice").networkBackend(network)
        .persistBatchDelay(Duration.ofMillis(20)).build();
  }

  @Test
  void autoWithNoBackendOnTheClassPathSaysWhatToAdd() {
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
        () -> PartyManager.builder().config(config("auto")).clock(clock).build());
    assertTrue(e.getMessage().contains("network.backend=off"), e.getMessage());
  }

  @Test
  void aMissingControlPlaneModuleSaysWhichToAdd() {
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
        () -> PartyManager.builder().config(config("off")).clock(clock).build());
    assertTrue(e.getMessage().contains("party-control-local"), e.getMessage());
  }
}
