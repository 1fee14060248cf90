package io.partynet.core.internal.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.ControlPlaneUnavailableException;
import io.partynet.Party;
import io.partynet.PartyConfig;
import io.partynet.core.internal.keys.WireGuardKeyPair;
import io.partynet.core.internal.keys.WireGuardKeys;
import io.partynet.core.internal.persist.WriteBehindStatePersister;
import io.partynet.remote.internal.RemoteControlPlaneClient;
import io.partynet.spi.ControlPlane;
import io.partynet.spi.ControlPlaneProvider;
import io.partynet.testing.ManagerHarness;
import io.partynet.testing.PartyEventRecorder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The factory's decision: an unreachable configured plane gives way to the local one, if allowed.
 * The configured plane is the real remote client pointed at a port nobody listens on; the local
 * plane is the real one.
 */
class ControlPlaneFallbackTest {
  @RegisterExtension
  final ManagerHarness members = ManagerHarness.on(new RealLocalPlane());
  private final List<ControlPlane> madeLocally = new CopyOnWriteArrayList<>();

  private final ControlPlaneProvider localProvider = new ControlPlaneProvider() {
    @Override
    public String name() {
      return "local";
    }

    @Override
    public ControlPlane create(PartyConfig config, Clock clock) {
      ControlPlane plane = members.planes().open(config, clock);
      madeLocally.add(plane);
      return plane;
    }
  };

  private PartyConfig config() throws Exception {
    return members.config("erin").toBuilder().networkBackend("off").controlMode("remote")
        .controlServer(unusedLoopbackUri()).requestTimeout(Duration.ofSeconds(2)).build();
  }

  /** The manager as the factory builds it, with real keys and a real state file in erin's home. */
  private DefaultPartyManagerBuilder manager(PartyConfig config, ControlPlaneFallback fallback) throws Exception {
    WireGuardKeyPair keys = WireGuardKeys.generateKeyPair();
    WriteBehindStatePersister persister = members.closeLater(WriteBehindStatePersister.open(config));
    return DefaultPartyManager.builder().config(config).clock(members.clock()).keys(keys.privateKey(),
        keys.publicKey()).statePersister(persister).networkOff().controlPlane(fallback);
  }

  private ControlPlane unreachableRemote(PartyConfig config) {
    return members.closeLater(RemoteControlPlaneClient.fromConfig(config));
  }

  @Test
  void anUnreachableRemotePlaneFallsBackToLocalAndSaysSoWhenAskedTo() throws Exception {
    PartyConfig config = config().toBuilder().controlFallbackToLocal(true).build();
    ControlPlane remote = unreachableRemote(config);
    PartyEventRecorder events = new PartyEventRecorder();
    try (ControlPlaneFallback fallback = DefaultPartyManagerFactory.fallback(remote, List.of(localProvider), config,
            members.clock());
        DefaultPartyManager manager = manager(config, fallback).listener(events).build()) {
      assertEquals("local", manager.controlPlaneName());
      events.await("controlPlaneChanged local");
      Party party = manager.create("lan").get(10, TimeUnit.SECONDS);
      assertEquals("local", manager.status().get(10, TimeUnit.SECONDS).controlPlane());
      assertEquals(1, madeLocally.size(), "the local plane was made once");
      assertTrue(madeLocally.get(0).getParty(party.id()).get(5, TimeUnit.SECONDS).isPresent(),
          "the local plane was started and holds the party");
      RealLocalPlane.assertClosed(remote, "the unreachable plane is given up");
    }
    RealLocalPlane.assertClosed(madeLocally.get(0), "the local plane the fallback made is closed with it");
  }

  @Test
  void fallbackIsOffByDefault() throws Exception {
    PartyConfig config = config();
    ControlPlaneFallback fallback = DefaultPartyManagerFactory.fallback(unreachableRemote(config),
        List.of(localProvider), config, members.clock());
    DefaultPartyManagerBuilder builder = manager(config, fallback);
    assertThrows(ControlPlaneUnavailableException.class, builder::build);
    assertEquals(List.of(), madeLocally, "no local plane was made");
  }

  @Test
  void withoutALocalPlaneOnTheClassPathTheFailureStands() throws Exception {
    PartyConfig config = config().toBuilder().controlFallbackToLocal(true).build();
    ControlPlaneFallback fallback = DefaultPartyManagerFactory.fallback(unreachableRemote(config), List.of(), config,
        members.clock());
    DefaultPartyManagerBuilder builder = manager(config, fallback);
    assertThrows(ControlPlaneUnavailableException.class, builder::build);
  }

  /** A loopback port nobody listens on (bound and released: connections to it are refused). */
  private static URI unusedLoopbackUri() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
  }
}
