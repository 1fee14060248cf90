package io.partynet.wireguard.jna.internal.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.BackendUnavailableException;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.PartyConfig;
import io.partynet.spi.InterfaceConfig;
import io.partynet.spi.NetworkBackendProvider;
import io.partynet.wireguard.jna.internal.uapi.UapiBackendProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Discovery of both Linux providers, and what the netlink backend says on a kernel without the
 * WireGuard module (this machine's). The positive path runs under qemu with a real module.
 */
class NetlinkBackendTest {
  private static final PartyConfig CONFIG = PartyConfig.builder().home(Path.of("/nonexistent-pnw")).build();

  @Test
  void bothProvidersAreRegisteredWithTheirPriorities() {
    Map<String, Integer> providers = ServiceLoader.load(NetworkBackendProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .collect(Collectors.toMap(NetworkBackendProvider::name, NetworkBackendProvider::priority));
    assertEquals(300, providers.get(NetlinkBackendProvider.NAME));
    assertEquals(200, providers.get(UapiBackendProvider.NAME));
    assertTrue(providers.get(NetlinkBackendProvider.NAME) > providers.get(UapiBackendProvider.NAME),
        "kernel WireGuard wins over userspace under auto");
  }

  @Test
  void withoutTheKernelModuleNetlinkPointsToUapi() throws Exception {
    boolean kernelHasWireGuard;
    try (GenericNetlink genl = GenericNetlink.open(Duration.ofSeconds(2))) {
      kernelHasWireGuard = genl.familyId("wireguard").isPresent();
    }
    NetlinkBackendProvider provider = new NetlinkBackendProvider();
    assertEquals(kernelHasWireGuard, provider.isAvailable(CONFIG));
    if (kernelHasWireGuard) {
      assertEquals("", provider.unavailableReason(CONFIG));
      return;
    }
    assertTrue(provider.unavailableReason(CONFIG).contains("network.backend=uapi"), provider.unavailableReason(CONFIG));
    try (NetlinkBackend backend = new NetlinkBackend()) {
      BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> backend.up(
          new InterfaceConfig("pnwn" + Long.toHexString(System.nanoTime() & 0xffffff), Key.fromBytes(new byte[32]), 0, IpPrefix.parse("10.77.0.1/24"), 1420)));
      assertTrue(e.getMessage().contains("uapi") && e.getMessage().contains("modprobe wireguard"), e.getMessage());
      assertFalse(backend.isUp());
    }
  }
}
