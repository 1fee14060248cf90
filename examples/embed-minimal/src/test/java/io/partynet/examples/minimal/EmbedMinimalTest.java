package io.partynet.examples.minimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.core.internal.settings.Config;
import io.partynet.spi.SettingType;
import io.partynet.core.internal.settings.SettingsDatabase;
import io.partynet.testing.JvmProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code embed-minimal} as a user runs it: a host and a guest, two JVMs with their own home
 * directories (settings written to each {@code settings.db} beforehand, as the program reads
 * them), form a party over the local control plane and the embedded backend; each prints the
 * other; the guest leaves on SIGTERM and the host sees it go. About 10 s.
 */
class EmbedMinimalTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** A JVM ended by SIGTERM exits with 128 + 15 once its shutdown hooks (here: leave the party) have run. */
  private static final int EXIT_ON_SIGTERM = 143;
  private static final Pattern IN_PARTY = Pattern.compile("in party (\\S+) as (\\S+)");

  @TempDir
  Path dir;

  private Path home(String name) throws IOException {
    Path home = dir.resolve(name);
    Config.load(home); // creates the database with every default
    try (SettingsDatabase settings = SettingsDatabase.open(home.resolve("settings.db"))) {
      settings.set(Config.PEER_NAME, name);
      settings.set(Config.NETWORK_BACKEND, "embedded");
      settings.set(Config.NETWORK_LISTEN_PORT, 0);
      settings.set(Config.CONTROL_LOCAL_DISCOVERY_FILE, dir.resolve("discovery.json").toString());
      settings.setRaw("embedded.bind-address", SettingType.STRING, "127.0.0.1");
      settings.setRaw("network.advertise-address", SettingType.STRING, "127.0.0.1");
    }
    return home;
  }

  @Test
  void hostAndGuestSeeEachOtherComeAndGo() throws Exception {
    Path hostHome = home("host");
    Path guestHome = home("friend");
    try (JvmProcess host = JvmProcess.start(EmbedMinimal.class, hostHome.toString())) {
      Matcher hosting = IN_PARTY.matcher(host.awaitLine(l -> IN_PARTY.matcher(l).matches(), WAIT, "'in party CODE'"));
      assertTrue(hosting.matches());
      String code = hosting.group(1);
      try (JvmProcess guest = JvmProcess.start(EmbedMinimal.class, guestHome.toString(), "--join", code)) {
        guest.awaitLine(l -> l.startsWith("in party " + code + " as "), WAIT, "confirming the join");
        // The guest lists both members with their virtual IPs; the host announces the guest.
        guest.awaitLine(l -> l.matches("  host 10\\.77\\.0\\.1"), WAIT, "listing the host");
        guest.awaitLine(l -> l.matches("  guest 10\\.77\\.0\\.2"), WAIT, "listing itself");
        host.awaitLine(l -> l.equals("+ guest at 10.77.0.2"), WAIT, "announcing the guest");

        guest.terminate();
        assertEquals(EXIT_ON_SIGTERM, guest.awaitExit(WAIT), "the guest ends on SIGTERM: " + guest.stdout());
        host.awaitLine(l -> l.startsWith("- guest ("), WAIT, "announcing that the guest left");
      }
      host.terminate();
      assertEquals(EXIT_ON_SIGTERM, host.awaitExit(WAIT), "the host ends on SIGTERM: " + host.stdout());
    }
  }
}
