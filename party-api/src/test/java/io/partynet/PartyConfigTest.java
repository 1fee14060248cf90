package io.partynet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class PartyConfigTest {

  /** ServiceLoader plug-ins name their own control planes: the config must not know them all. */
  @Test
  void acceptsAnyControlPlaneProviderName() {
    for (String mode : java.util.List.of("local", "acme-mesh", "corp.relay_2")) {
      assertEquals(mode, PartyConfig.builder().controlMode(mode).build().controlMode());
    }
  }

  @Test
  void rejectsWhatCannotBeAProviderName() {
    for (String mode : java.util.List.of("", "two words", "x".repeat(65), "a/b")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> PartyConfig.builder().controlMode(mode).build());
      assertTrue(e.getMessage().contains("control.mode"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> PartyConfig.builder().controlMode(null).build());
  }

  @Test
  void remoteStillNeedsAServer() {
    assertThrows(IllegalArgumentException.class, () -> PartyConfig.builder().controlMode("remote").build());
    assertEquals(URI.create("http://127.0.0.1:9"),
        PartyConfig.builder().controlMode("remote").controlServer(URI.create("http://127.0.0.1:9")).build().controlServer());
  }
}
