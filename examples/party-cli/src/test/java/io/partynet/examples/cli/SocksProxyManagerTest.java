package io.partynet.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.partynet.PartyConfig;
import io.partynet.PartyException;
import io.partynet.PartyManager;
import io.partynet.PartyServerSocket;
import io.partynet.PartyStreamSocket;
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
 * while in a party, also to a member named instead of addressed, and answered "network
 * unreachable" after leaving). Carrying data to a peer is
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

        // A member's name stands for its virtual IP (any case); a name nobody has is unreachable.
        try (PartyServerSocket listener = manager.network().listen(7000)) {
          Socks5Client.Connected byName = Socks5Client.connect(proxy.localAddress(),
              Socks5Client.connectToName("ALICE", 7000), WAIT);
          assertEquals(0, byName.reply());
          try (PartyStreamSocket accepted = listener.accept(WAIT)) {
            assertNotNull(accepted, "the connection by name reached alice's listener");
            byName.socket().getOutputStream().write(42);
            assertEquals(42, accepted.inputStream().read());
          } finally {
            byName.socket().close();
          }
        }
        assertEquals(0x04, Socks5Client.connect(proxy.localAddress(), Socks5Client.connectToName("bob", 7000), WAIT)
            .reply());

        manager.leave().get(10, TimeUnit.SECONDS);
        assertEquals(0x03, Socks5Client.connect(proxy.localAddress(), toNobody, WAIT).reply(),
            "network unreachable once there is no party");
      }
    }
  }
}
