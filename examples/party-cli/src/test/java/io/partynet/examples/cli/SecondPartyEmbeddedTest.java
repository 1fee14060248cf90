package io.partynet.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.Party;
import io.partynet.PartyConfig;
import io.partynet.PartyDatagramSocket;
import io.partynet.PartyManager;
import io.partynet.spi.InterfaceConfig;
import io.partynet.wireguard.embedded.internal.EmbeddedBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One manager, two parties in a row, on an embedded backend the application passed in (the local plane). */
class SecondPartyEmbeddedTest {
  @TempDir Path dir;

  @Test
  void aSecondPartyRunsOnTheEmbeddedBackendTheApplicationPassedIn() throws Exception {
    PartyConfig config = PartyConfig.builder().home(dir.resolve("alice")).peerName("alice").controlMode("local")
        .discoveryFile(dir.resolve("discovery.json")).listenPort(0).requestTimeout(Duration.ofSeconds(5)).build();
    EmbeddedBackend backend = EmbeddedBackend.builder().build();
    try {
      try (PartyManager manager = PartyManager.builder().config(config).networkBackend(backend).build()) {
        Party first = manager.create("first").get(10, TimeUnit.SECONDS);
        try (PartyDatagramSocket socket = manager.openDatagramSocket(7777)) {
          assertTrue(backend.isUp(), "the first party's interface is up");
        }
        manager.leave().get(10, TimeUnit.SECONDS);
        assertFalse(backend.isUp(), "taken down with the party");

        Party second = manager.create("second").get(10, TimeUnit.SECONDS);
        assertNotEquals(first.id(), second.id());
        try (PartyDatagramSocket socket = manager.openDatagramSocket(7777)) {
          assertTrue(backend.isUp(), "the same backend carries the second party");
        }
        assertEquals("embedded", manager.status().get(10, TimeUnit.SECONDS).network());
      }
      assertFalse(backend.isUp(), "the manager takes its interface down when it closes");
      int port = backend.up(new InterfaceConfig("pn-app", Key.fromBytes(new byte[32]), 0,
          IpPrefix.parse("10.77.0.9/16"), InterfaceConfig.DEFAULT_MTU));
      assertTrue(port > 0, "the application can still use its backend after the manager closed");
    } finally {
      backend.close();
    }
  }
}
