package io.partynet.core.internal.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.ControlPlaneUnavailableException;
import io.partynet.PartyConfig;
import io.partynet.core.testing.InMemoryControlPlaneHub;
import io.partynet.core.testing.InMemoryStatePersister;
import io.partynet.testing.ManualClock;
import io.partynet.core.testing.ManualScheduler;
import io.partynet.core.testing.RecordingPartyListener;
import io.partynet.core.testing.TestMembers;
import io.partynet.spi.ControlPlane;
import io.partynet.spi.ControlPlaneProvider;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The factory's decision: an unreachable configured plane gives way to the local one, if allowed. */
class ControlPlaneFallbackTest {
  private final ManualClock clock = ManualClock.startingAt("2026-01-02T00:00:00Z");
  private final InMemoryControlPlaneHub localHub = new InMemoryControlPlaneHub(clock);
  private final InMemoryControlPlaneHub remoteHub = new InMemoryControlPlaneHub(clock);

  private ControlPlaneProvider localProvider(InMemoryControlPlaneHub.Client client) {
    return new ControlPlaneProvider() {
      @Override
      public String name() {
        return "local";
      }

      @Override
      public ControlPlane create(PartyConfig config, Clock clock) {
        return client;
      }
    };
  }

  @AfterEach
  void closeHubs() {
    localHub.close();
    remoteHub.close();
  }

  @Test
  void anUnreachableRemotePlaneFallsBackToLocalAndSaysSoWhenAskedTo() throws Exception {
    remoteHub.setReachable(false);
    InMemoryControlPlaneHub.Client remote = remoteHub.client("remote");
    InMemoryControlPlaneHub.Client local = localHub.client("local");
    PartyConfig config = TestMembers.config("erin").toBuilder().controlFallbackToLocal(true).build();
    RecordingPartyListener events = new RecordingPartyListener();
    try (ControlPlaneFallback fallback = DefaultPartyManagerFactory.fallback(remote, List.of(localProvider(local)),
            config, clock);
        DefaultPartyManager manager = TestMembers.builder("erin", clock, new ManualScheduler(),
                new InMemoryStatePersister(), 5)
            .config(config).controlPlane(fallback).networkOff().listener(events).build()) {
      assertEquals("local", manager.controlPlaneName());
      events.await("controlPlaneChanged local");
      manager.create("lan").get(10, TimeUnit.SECONDS);
      assertEquals("local", manager.status().get(10, TimeUnit.SECONDS).controlPlane());
      assertTrue(local.peerId() != null, "the local plane was started");
      assertTrue(remote.isClosed(), "the unreachable plane is given up");
    }
    assertTrue(local.isClosed(), "the local plane the fallback made is closed with it");
  }

  @Test
  void fallbackIsOffByDefault() {
    remoteHub.setReachable(false);
    PartyConfig config = TestMembers.config("erin");
    ControlPlaneFallback fallback = DefaultPartyManagerFactory.fallback(remoteHub.client("remote"),
        List.of(localProvider(localHub.client("local"))), config, clock);
    DefaultPartyManager.Builder builder = TestMembers.builder("erin", clock, new ManualScheduler(),
            new InMemoryStatePersister(), 5)
        .controlPlane(fallback).networkOff();
    assertThrows(ControlPlaneUnavailableException.class, builder::build);
  }

  @Test
  void withoutALocalPlaneOnTheClassPathTheFailureStands() {
    remoteHub.setReachable(false);
    ControlPlaneFallback fallback = DefaultPartyManagerFactory.fallback(remoteHub.client("remote"), List.of(),
        TestMembers.config("erin"), clock);
    DefaultPartyManager.Builder builder = TestMembers.builder("erin", clock, new ManualScheduler(),
        new InMemoryStatePersister(), 5).controlPlane(fallback).networkOff();
    assertThrows(ControlPlaneUnavailableException.class, builder::build);
  }
}
