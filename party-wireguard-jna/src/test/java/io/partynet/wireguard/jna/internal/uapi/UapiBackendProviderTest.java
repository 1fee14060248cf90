package io.partynet.wireguard.jna.internal.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.PartyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Availability of the uapi backend follows the binary setting and /dev/net/tun. */
class UapiBackendProviderTest {
  private static PartyConfig config(String binary) {
    return PartyConfig.builder().home(Path.of("/nonexistent-pnw"))
        .settings(Map.of(UapiBackendProvider.BINARY_SETTING, binary)).build();
  }

  @Test
  void missingBinaryIsExplained() {
    UapiBackendProvider provider = new UapiBackendProvider();
    PartyConfig config = config("pnw-no-such-wireguard-daemon");
    assertFalse(provider.isAvailable(config));
    String reason = provider.unavailableReason(config);
    assertTrue(reason.contains("pnw-no-such-wireguard-daemon") && reason.contains("wireguard-go"), reason);
    assertFalse(provider.isAvailable(config("/nonexistent-pnw/wireguard-go")));
  }

  @Test
  void aBlankBinaryIsRefusedNamingTheSetting() {
    UapiBackendProvider provider = new UapiBackendProvider();
    assertFalse(provider.isAvailable(config(" ")));
    assertTrue(provider.unavailableReason(config(" ")).contains("'uapi.binary'"), provider.unavailableReason(config(" ")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> provider.create(config("")));
    assertTrue(e.getMessage().contains("uapi.binary"), e.getMessage());
  }

  @Test
  void availableWithAnInstalledBinaryAndTun() {
    boolean expected = UapiBackendProvider.locate("sh").isPresent() && Files.isReadable(UapiBackendProvider.TUN)
        && Files.isWritable(UapiBackendProvider.TUN);
    UapiBackendProvider provider = new UapiBackendProvider();
    assertEquals(expected, provider.isAvailable(config("sh")), provider.unavailableReason(config("sh")));
    assertEquals("uapi", provider.create(config("sh")).name());
  }
}
