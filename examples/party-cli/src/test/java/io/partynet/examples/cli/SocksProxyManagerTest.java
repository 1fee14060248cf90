package io.partynet.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.partynet.PartyConfig;
import io.partynet.PartyException;
import io.partynet.PartyManager;
import io.partynet.SocksProxy;
import io.partynet.testing.Socks5Client;
import io.partynet.wireguard.embedded.internal.EmbeddedBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PartyManager#socksProxy} through the public API on the embedded backend: refused outside
 * a party, and a running proxy that follows the manager's party network (CONNECTs are carried
 * while in a party and answered "network unreachable" after leaving). Carrying data to a peer is
 * proven in party-wireguard-embedded's SocksProxyEmbeddedTest.
 */
class SocksProxyManagerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @TempDir Path dir;

  @Test
  void theProxyUsesTheNetworkOfTheCurrentParty() throws Exception {
    PartyConfig config = PartyConfig.builder().home(dir.resolve("alice")).peerName("alice").controlMode("local")
        .discoveryFile(dir.resolve("discovery.json")).listenPort(0).requestTimeout(Duration.ofSeconds(5)).build();
    try (EmbeddedBackend backend = EmbeddedBackend.builder().build();
        PartyManager manager = PartyManager.builder().config(config).networkBackend(backend).build()) {
      PartyException outside = assertThrows(PartyException.class, () -> manager.socksProxy(0));
      assertEquals(PartyException.Reason.NOT_IN_PARTY, outside.reason());

      manager.create("socks").get(10, TimeUnit.SECONDS);
      try (SocksProxy proxy = manager.socksProxy(0)) {
        // 10.255.255.254 is no member: the embedded stack has no route to it (host unreachable).
        byte[] toNobody = Socks5Client.connectToIpv4("10.255.255.254", 80);
        assertEquals(0x04, Socks5Client.connect(proxy.localAddress(), toNobody, WAIT).reply());
        manager.leave().get(10, TimeUnit.SECONDS);
        assertEquals(0x03, Socks5Client.connect(proxy.localAddress(), toNobody, WAIT).reply(),
            "network unreachable once there is no party");
      }
    }
  }
}
