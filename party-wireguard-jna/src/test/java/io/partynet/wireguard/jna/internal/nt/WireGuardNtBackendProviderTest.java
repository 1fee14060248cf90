package io.partynet.wireguard.jna.internal.nt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.BackendUnavailableException;
import io.partynet.PartyConfig;
import io.partynet.spi.NetworkBackendProvider;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class WireGuardNtBackendProviderTest {
  @TempDir
  Path home;

  @Test
  void isRegisteredForServiceLoader() {
    // Only this provider is instantiated, so other backends' providers cannot disturb the test.
    NetworkBackendProvider provider = ServiceLoader.load(NetworkBackendProvider.class).stream()
        .filter(p -> p.type() == WireGuardNtBackendProvider.class)
        .map(ServiceLoader.Provider::get)
        .findFirst()
        .orElseThrow(() -> new AssertionError("wireguard-nt is not in META-INF/services"));
    assertEquals("wireguard-nt", provider.name());
    assertEquals(300, provider.priority());
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void isUnavailableOffWindowsAndSaysWhy() {
    WireGuardNtBackendProvider provider = new WireGuardNtBackendProvider();
    PartyConfig config = PartyConfig.builder().home(home).build();
    assertFalse(provider.isAvailable(config));
    String reason = provider.unavailableReason(config);
    assertTrue(reason.contains("only on Windows") && reason.contains("netlink or uapi"), reason);
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> provider.create(config));
    assertEquals(reason, e.getMessage());
  }

  @Test
  void installHintNamesTheDllAndTheRights() {
    assertTrue(WireGuardNtBackendProvider.INSTALL_HINT.contains("wireguard.dll"));
    assertTrue(WireGuardNtBackendProvider.INSTALL_HINT.contains("Administrator"));
  }
}
