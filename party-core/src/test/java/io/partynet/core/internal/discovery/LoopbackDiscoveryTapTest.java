package io.partynet.core.internal.discovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.partynet.PartyDatagram;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The embedded backend's tap on real loopback sockets, with the tunnel side in memory. */
class LoopbackDiscoveryTapTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void theStandingAddressIs127WithTheVirtualIpsLastThreeBytes() throws Exception {
    assertEquals("127.77.0.9", LoopbackDiscoveryTap.standingAddress("10.77.0.9").getHostAddress());
    assertEquals("127.77.3.200", LoopbackDiscoveryTap.standingAddress("10.77.3.200").getHostAddress());
  }

  @Test
  void aDeliveryComesFromTheStandingAddressAndAnswersTravelBothWays() throws Exception {
    MemoryNetwork network = new MemoryNetwork();
    try (LoopbackDiscoveryTap tap = new LoopbackDiscoveryTap(network, false); DatagramSocket game = new DatagramSocket()) {
      game.setSoTimeout((int) WAIT.toMillis());
      tap.start(DiscoveryScope.empty(), d -> { });
      tap.deliver(new LanDatagram("10.77.0.9", 40123, "255.255.255.255", game.getLocalPort(), bytes("lobby?")));
      DatagramPacket lookup = receive(game);
      assertEquals(new InetSocketAddress("127.77.0.9", 40123), lookup.getSocketAddress());
      assertEquals("lobby?", text(lookup));

      game.send(new DatagramPacket(bytes("here"), 4, lookup.getSocketAddress()));
      MemorySocket endpoint = network.await(game.getLocalPort());
      Object[] sent = endpoint.sent.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(sent, "the game's answer went into the tunnel");
      assertEquals("10.77.0.9", sent[0]);
      assertEquals(40123, sent[1]);
      assertArrayEquals(bytes("here"), (byte[]) sent[2]);

      endpoint.incoming.add(new PartyDatagram("10.77.0.9", 40123, bytes("joining")));
      DatagramPacket back = receive(game);
      assertEquals(new InetSocketAddress("127.77.0.9", 40123), back.getSocketAddress());
      assertEquals("joining", text(back));
    }
  }

  private static DatagramPacket receive(DatagramSocket socket) throws Exception {
    DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
    socket.receive(p);
    return p;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(DatagramPacket p) {
    return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
  }
}
