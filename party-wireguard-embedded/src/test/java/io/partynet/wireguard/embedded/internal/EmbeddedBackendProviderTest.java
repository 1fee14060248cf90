package io.partynet.wireguard.embedded.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.PartyConfig;
import io.partynet.spi.NetworkBackend;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code embedded.bind-address} is read as a typed setting: an IP literal or nothing, never a host name. */
class EmbeddedBackendProviderTest {
  private static PartyConfig withBindAddress(String value) {
    return PartyConfig.builder().home(Path.of("/nonexistent-home-alice")).peerName("alice")
        .setting("embedded.bind-address", value).build();
  }

  @Test
  void aHostNameIsRefusedNamingTheSettingAndWhatItMustBe() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new EmbeddedBackendProvider().create(withBindAddress("localhost")));
    assertTrue(e.getMessage().contains("embedded.bind-address"), e.getMessage());
    assertTrue(e.getMessage().contains("IP literal"), e.getMessage());
    assertTrue(e.getMessage().contains("'localhost'"), e.getMessage());
  }

  @Test
  void aMalformedLiteralIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new EmbeddedBackendProvider().create(withBindAddress("127.0.0.256")));
  }

  @Test
  void anIpLiteralOrNothingIsAccepted() throws Exception {
    assertEquals("127.0.0.1", EmbeddedBackendProvider.BIND_ADDRESS.from(withBindAddress(" 127.0.0.1 ")).strip());
    assertEquals("", EmbeddedBackendProvider.BIND_ADDRESS.from(withBindAddress("")));
    assertEquals("::1", EmbeddedBackendProvider.BIND_ADDRESS.from(withBindAddress("::1")));
    NetworkBackend backend = new EmbeddedBackendProvider().create(withBindAddress("127.0.0.1"));
    backend.close();
  }
}
