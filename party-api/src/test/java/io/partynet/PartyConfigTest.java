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

  @Test
  void toStringNeverShowsASecretSettingButShowsTheRest() {
    PartyConfig config = PartyConfig.builder().setting("nat.turn-password", "hunter2-turn")
        .setting("nat.turn-username", "alice").setting("acme.api-token", "tok-secret-1")
        .setting("acme.shared-secret", "s3cr3t").setting("acme.private-key", "priv-9").build();
    String shown = config.toString();
    for (String secret : java.util.List.of("hunter2-turn", "tok-secret-1", "s3cr3t", "priv-9")) {
      assertTrue(!shown.contains(secret), "leaks " + secret + ": " + shown);
    }
    assertTrue(shown.contains("nat.turn-password=<hidden>") && shown.contains("nat.turn-username=alice"), shown);
    assertTrue(shown.contains("peerName=player"), shown);
    assertEquals("hunter2-turn", config.setting("nat.turn-password", ""), "the value itself is kept");
  }

  @Test
  void secretSettingsAreRecognisedByName() {
    for (String key : java.util.List.of("nat.turn-password", "x.TOKEN", "control.api-secret", "y.credentials")) {
      assertTrue(PartyConfig.isSecretSetting(key), key);
    }
    for (String key : java.util.List.of("nat.turn-username", "peer.name", "nat.turn-server")) {
      assertTrue(!PartyConfig.isSecretSetting(key), key);
    }
  }
}
