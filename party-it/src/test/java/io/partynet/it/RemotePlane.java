package io.partynet.it;

import io.partynet.PartyConfig;
import io.partynet.PartyInfo;
import io.partynet.remote.internal.RemoteControlPlaneClient;
import io.partynet.server.testing.ControlServerExtension;
import io.partynet.spi.ControlPlane;
import io.partynet.testing.ManagerHarness;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The remote control plane: a real {@code party-control-server} on loopback, on the harness's
 * manual clock, and one {@link RemoteControlPlaneClient} per member, made from the member's
 * config exactly as the {@code remote} provider makes it. Thread-safe.
 */
final class RemotePlane implements PlaneUnderTest {
  private volatile ControlServerExtension server;

  @Override
  public String name() {
    return "remote";
  }

  @Override
  public void attach(ManagerHarness members) {
    server = ControlServerExtension.on(members.clock()).staleTimeout(ManagerHarness.STALE_TIMEOUT)
        .cleanupInterval(ManagerHarness.CLEANUP);
  }

  /** The server behind this plane (after {@link #attach}). */
  ControlServerExtension server() {
    return server;
  }

  @Override
  public ControlPlane open(PartyConfig config, Clock clock) {
    return RemoteControlPlaneClient.fromConfig(config.toBuilder().controlMode("remote").controlServer(server.uri())
        .build());
  }

  @Override
  public java.util.List<String> eventsOnConnect() {
    return java.util.List.of("controlPlaneChanged remote");
  }

  @Override
  public Optional<PartyInfo> party(String partyId) {
    return server.server().party(partyId);
  }

  @Override
  public Optional<Instant> lastSeen(String partyId, String peerId) {
    return server.server().lastSeen(partyId, peerId);
  }

  @Override
  public int partyCount() {
    return server.server().stats().parties();
  }

  @Override
  public void loseEverything() {
    server.wipe();
  }

  @Override
  public void makeUnreachable() {
    server.stop();
  }

  @Override
  public void close() {
    server.close();
  }
}
