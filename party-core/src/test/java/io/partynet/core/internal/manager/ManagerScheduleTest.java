package io.partynet.core.internal.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partynet.Key;
import io.partynet.PartyConfig;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.core.internal.persist.WriteBehindStatePersister;
import io.partynet.spi.ControlPlane;
import io.partynet.spi.ControlPlaneListener;
import io.partynet.spi.Signal;
import io.partynet.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the manager schedules, seen through its scheduler seam: heartbeats at the configured
 * interval and connection monitoring every second, and nothing left scheduled after close().
 * (Membership behaviour runs on the real control planes in party-it.)
 */
class ManagerScheduleTest {
  @TempDir
  Path home;

  @Test
  void heartbeatsAtTheConfiguredIntervalMonitoringEverySecondAndNothingAfterClose() throws Exception {
    PartyConfig config = PartyConfig.builder().home(home).peerName("alice").heartbeatInterval(Duration.ofSeconds(7))
        .build();
    RecordingScheduler scheduler = new RecordingScheduler();
    try (WriteBehindStatePersister persister = WriteBehindStatePersister.open(config)) {
      DefaultPartyManager manager = DefaultPartyManager.builder().config(config)
          .clock(ManualClock.startingAt("2026-01-02T00:00:00Z")).scheduler(scheduler).statePersister(persister)
          .keys(Key.fromBytes(new byte[32]), Key.fromBytes(new byte[32])).controlPlane(new StartOnly()).networkOff()
          .build();

      assertEquals(java.util.List.of(Duration.ofSeconds(7), ManagerTicks.MONITOR_INTERVAL), scheduler.periods(),
          "heartbeats at the configured interval, connection monitoring every second");
      manager.close();
      assertEquals(0, scheduler.scheduledCount(), "close() stops heartbeats and monitoring");
    }
  }

  /** A control plane that can only start: with no party, the manager asks nothing else of it. */
  private static final class StartOnly implements ControlPlane {
    @Override public String name() { return "start-only"; }
    @Override public CompletableFuture<Void> start(String peerId, Key publicKey) { return CompletableFuture.completedFuture(null); }
    @Override public CompletableFuture<PartyInfo> createParty(String partyName, Peer host) { throw unexpected(); }
    @Override public CompletableFuture<PartyInfo> joinParty(String partyId, Peer peer) { throw unexpected(); }
    @Override public CompletableFuture<Void> leaveParty(String partyId, String peerId) { throw unexpected(); }
    @Override public CompletableFuture<Void> kick(String partyId, String hostId, String peerId) { throw unexpected(); }
    @Override public CompletableFuture<Void> disband(String partyId, String hostId) { throw unexpected(); }
    @Override public CompletableFuture<Void> heartbeat(String partyId, String peerId) { throw unexpected(); }
    @Override public CompletableFuture<Void> updatePeer(String partyId, Peer self) { throw unexpected(); }
    @Override public CompletableFuture<Optional<PartyInfo>> getParty(String partyId) { throw unexpected(); }
    @Override public CompletableFuture<Void> signal(Signal signal) { throw unexpected(); }
    @Override public void addListener(ControlPlaneListener listener, java.util.concurrent.Executor executor) {}
    @Override public void removeListener(ControlPlaneListener listener) {}
    @Override public void close() {}

    private static AssertionError unexpected() {
      return new AssertionError("a manager without a party called its control plane");
    }
  }
}
