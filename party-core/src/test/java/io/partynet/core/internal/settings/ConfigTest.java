package io.partynet.core.internal.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.PartyConfig;
import io.partynet.spi.SettingType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
  @TempDir Path dir;

  @Test
  void firstStartWritesTheBuilderDefaultsAndCreatesTheDirectories() throws Exception {
    Path home = dir.resolve("home");
    PartyConfig loaded = Config.load(home);
    PartyConfig expected = PartyConfig.builder().home(home).settings(loaded.settings()).build();
    assertEquals(expected, loaded);
    assertEquals(Config.defaultsAsText(), loaded.settings());
    try (SettingsDatabase db = SettingsDatabase.open(home.resolve("settings.db"))) {
      assertEquals(Config.KEYS.size(), db.getAll().size());
      assertEquals("200ms", db.findRaw("state.batch-delay").orElseThrow().value());
      assertEquals(SettingType.DURATION, db.findRaw("state.batch-delay").orElseThrow().type());
    }
    assertTrue(Files.isDirectory(home.resolve("keys")));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("keys"))));
  }

  @Test
  void storedValuesBuildTheConfig() throws Exception {
    Path home = dir.resolve("home");
    try (SettingsDatabase db = SettingsDatabase.open(home.resolve("settings.db"))) {
      db.set(Config.PEER_NAME, "Ann");
      db.set(Config.CONTROL_MODE, "remote");
      db.set(Config.CONTROL_SERVER_URL, "https://party.example:8443");
      db.set(Config.CONTROL_FALLBACK_TO_LOCAL, false);
      db.set(Config.CONTROL_LOCAL_DISCOVERY_FILE, "shared/discovery.json");
      db.set(Config.CONTROL_REQUEST_TIMEOUT, Duration.ofSeconds(3));
      db.set(Config.NETWORK_BACKEND, "uapi");
      db.set(Config.NETWORK_INTERFACE, "pn-test0");
      db.set(Config.NETWORK_LISTEN_PORT, 0);
      db.set(Config.NETWORK_SUBNET, "10.99.0.0/24");
      db.set(Config.PARTY_MAX_SIZE, 4);
      db.set(Config.PARTY_HEARTBEAT_INTERVAL, Duration.ofSeconds(2));
      db.set(Config.PARTY_STALE_TIMEOUT, Duration.ofSeconds(20));
      db.set(Config.PARTY_CLEANUP_INTERVAL, Duration.ofSeconds(5));
      db.set(Config.STATE_BATCH_DELAY, Duration.ofMillis(50));
      db.setRaw(Config.NAT_STUN_SERVERS.name(), SettingType.STRING_LIST, "10.0.0.1:3478, [fd00::1]:3478");
      db.setRaw("backend.uapi.socket-dir", SettingType.STRING, "/run/wg");
    }
    PartyConfig c = Config.load(home);
    assertEquals("Ann", c.peerName());
    assertEquals("remote", c.controlMode());
    assertEquals(URI.create("https://party.example:8443"), c.controlServer());
    assertEquals(false, c.controlFallbackToLocal());
    assertEquals(home.toAbsolutePath().resolve("shared/discovery.json"), c.discoveryFile());
    assertEquals(Duration.ofSeconds(3), c.requestTimeout());
    assertEquals("uapi", c.networkBackend());
    assertEquals("pn-test0", c.interfaceName());
    assertEquals(0, c.listenPort());
    assertEquals(IpPrefix.parse("10.99.0.0/24"), c.virtualSubnet());
    assertEquals(4, c.maxPartySize());
    assertEquals(Duration.ofSeconds(2), c.heartbeatInterval());
    assertEquals(Duration.ofSeconds(20), c.staleTimeout());
    assertEquals(Duration.ofSeconds(5), c.cleanupInterval());
    assertEquals(Duration.ofMillis(50), c.persistBatchDelay());
    assertEquals(List.of(Endpoint.parse("10.0.0.1:3478"), Endpoint.parse("[fd00::1]:3478")), c.stunServers());
    assertEquals("/run/wg", c.setting("backend.uapi.socket-dir", null), "unknown keys are kept");
  }

  @Test
  void overridesApplyToOneRunAndAreNotWritten() throws Exception {
    Path home = dir.resolve("home");
    PartyConfig c = Config.load(home, Map.of("party.max-size", "3", "state.batch-delay", "PT1S", "x.custom", "y"));
    assertEquals(3, c.maxPartySize());
    assertEquals(Duration.ofSeconds(1), c.persistBatchDelay());
    assertEquals("y", c.setting("x.custom", null));
    PartyConfig again = Config.load(home);
    assertEquals(16, again.maxPartySize());
    assertEquals(null, again.setting("x.custom", null));
  }

  /** The public entry point reaches this loader through the factory that ServiceLoader finds. */
  @Test
  void partyConfigLoadAppliesOverridesThroughTheDiscoveredImplementation() throws Exception {
    Path home = dir.resolve("home");
    PartyConfig c = PartyConfig.load(home, Map.of("peer.name", "zoe", "party.max-size", "4"));
    assertEquals("zoe", c.peerName());
    assertEquals(4, c.maxPartySize());
    assertTrue(Files.exists(home.resolve("settings.db")));
    assertEquals(Config.load(home).peerName(), PartyConfig.load(home, Map.of()).peerName());
  }

  /** A third-party control plane is chosen by its provider's name; whether it exists is checked at start. */
  @Test
  void anyControlPlaneNameAProviderMayCarryIsAccepted() throws Exception {
    Path home = dir.resolve("home");
    assertEquals("acme-mesh", Config.load(home, Map.of("control.mode", "acme-mesh")).controlMode());
    assertMessage(() -> Config.load(home, Map.of("control.mode", "two words")), "'control.mode'", "control plane name");
  }

  @Test
  void badValuesNameTheKeyAndTheExpectedType() throws Exception {
    Path home = dir.resolve("home");
    assertMessage(() -> Config.load(home, Map.of("party.max-size", "lots")), "'party.max-size'", "integer");
    assertMessage(() -> Config.load(home, Map.of("party.max-size", "1")), "'party.max-size'", "2..256");
    assertMessage(() -> Config.load(home, Map.of("state.batch-delay", "0ms")), "'state.batch-delay'", "positive");
    assertMessage(() -> Config.load(home, Map.of("control.fallback-to-local", "maybe")),
        "'control.fallback-to-local'", "boolean");
    assertMessage(() -> Config.load(home, Map.of("nat.stun-servers", "stun.example.com:3478")),
        "'nat.stun-servers'", "endpoints");
    assertMessage(() -> Config.load(home, Map.of("network.subnet", "10.77.0.0/31")), "'network.subnet'", "IPv4 prefix");
    assertMessage(() -> Config.load(home, Map.of("network.interface", "a-very-long-interface")),
        "'network.interface'", "15 characters");
    assertMessage(() -> Config.load(home, Map.of("control.mode", "remote")), "control.server-url");
    try (SettingsDatabase db = SettingsDatabase.open(home.resolve("settings.db"))) {
      db.setRaw("network.listen-port", SettingType.STRING, "eighty");
    }
    assertMessage(() -> Config.load(home), "'network.listen-port'", "integer");
  }

  private static void assertMessage(org.junit.jupiter.api.function.Executable load, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, load);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
    }
  }
}
