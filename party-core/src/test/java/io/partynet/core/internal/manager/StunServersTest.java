package io.partynet.core.internal.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partynet.Endpoint;
import io.partynet.PartyConfig;
import io.partynet.spi.ControlPlane;
import io.partynet.spi.IceServers;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StunServersTest {
  private final AtomicReference<Optional<IceServers>> handedOut = new AtomicReference<>(Optional.empty());

  /** A control plane that only hands out ICE servers; any other call is a test failure. */
  private final ControlPlane plane = (ControlPlane) Proxy.newProxyInstance(getClass().getClassLoader(),
      new Class<?>[] {ControlPlane.class}, (proxy, method, args) -> {
        if (method.getName().equals("iceServers")) {
          return handedOut.get();
        }
        throw new AssertionError("unexpected control plane call " + method.getName());
      });

  private static IceServers stun(List<String> servers) {
    return new IceServers(servers, List.of(), Instant.parse("2026-12-05T15:00:00Z"));
  }

  @Test
  void theSettingsWinAndOtherwiseTheControlPlanesServersAreAskedAtEachUse() {
    PartyConfig configured = PartyConfig.builder().home(Path.of("/nonexistent-home-alice")).peerName("alice")
        .stunServers(List.of(Endpoint.parse("198.51.100.1:3478"))).build();
    handedOut.set(Optional.of(stun(List.of("203.0.113.1:3478"))));
    assertEquals(List.of(Endpoint.parse("198.51.100.1:3478")), StunServers.detector(configured, plane).servers());

    PartyConfig bare = PartyConfig.builder().home(Path.of("/nonexistent-home-alice")).peerName("alice").stunServers(List.of()).build();
    var detector = StunServers.detector(bare, plane);
    assertEquals(List.of(Endpoint.parse("203.0.113.1:3478")), detector.servers());
    handedOut.set(Optional.of(stun(List.of("stun.example.net:3478", "[2001:db8::1]:3478"))));
    assertEquals(List.of(Endpoint.parse("[2001:db8::1]:3478")), detector.servers(),
        "refreshed servers count at once; host names are skipped (no resolving)");
    handedOut.set(Optional.empty());
    assertEquals(List.of(), detector.servers(), "none handed out");
  }

  @Test
  void atMostEightServersAreTaken() {
    List<String> many = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      many.add("203.0.113." + i + ":3478");
    }
    handedOut.set(Optional.of(stun(many)));
    assertEquals(8, StunServers.fromControlPlane(plane).size());
  }
}
