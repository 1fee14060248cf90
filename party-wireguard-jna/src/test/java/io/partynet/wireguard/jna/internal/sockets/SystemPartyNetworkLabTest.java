package io.partynet.wireguard.jna.internal.sockets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.PartyDatagram;
import io.partynet.PartyDatagramSocket;
import io.partynet.PartyServerSocket;
import io.partynet.PartyStreamSocket;
import io.partynet.PortExposure;
import io.partynet.TransportForward;
import io.partynet.TransportProtocol;
import io.partynet.spi.InterfaceConfig;
import io.partynet.spi.PartyNetwork;
import io.partynet.spi.PeerConfig;
import io.partynet.testing.lab.Lab;
import io.partynet.testing.lab.LabTest;
import io.partynet.wireguard.jna.internal.lab.X25519Keys;
import io.partynet.wireguard.jna.internal.netlink.NetworkNamespace;
import io.partynet.wireguard.jna.internal.uapi.UapiBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel backends' {@link PartyNetwork} over real WireGuard: two namespaces joined by a veth
 * pair, a wireguard-go interface in each configured through {@link UapiBackend}, and the backends'
 * party networks (OS sockets bound to the virtual IPs, opened in the backends' namespaces). TCP and
 * UDP go both ways through exposes (a relay to a loopback-only server, a passthrough for a server
 * on all addresses), forwards, and the SDK's own sockets; peers see the sender's virtual IP.
 */
@LabTest(needs = LabTest.Need.WIREGUARD_GO)
class SystemPartyNetworkLabTest {
  private static final String IP_A = "10.77.9.1";
  private static final String IP_B = "10.77.9.2";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private Lab lab;
  private NetworkNamespace nsA;
  private NetworkNamespace nsB;
  private UapiBackend backendA;
  private UapiBackend backendB;
  private PartyNetwork netA;
  private PartyNetwork netB;

  @BeforeEach
  void twoMembersOnWireGuardGo() throws Exception {
    lab = Lab.open();
    String a = lab.addNamespace("a");
    String b = lab.addNamespace("b");
    lab.veth(a, lab.interfaceName("ea"), b, lab.interfaceName("eb"));
    lab.ip(a, "addr", "add", "198.51.100.1/24", "dev", lab.interfaceName("ea"));
    lab.ip(b, "addr", "add", "198.51.100.2/24", "dev", lab.interfaceName("eb"));
    nsA = NetworkNamespace.named(a);
    nsB = NetworkNamespace.named(b);
    X25519Keys keysA = X25519Keys.generate();
    X25519Keys keysB = X25519Keys.generate();
    backendA = new UapiBackend(UapiBackend.Options.defaults().inNamespace(nsA));
    backendB = new UapiBackend(UapiBackend.Options.defaults().inNamespace(nsB));
    int portA = backendA.up(new InterfaceConfig(lab.interfaceName("wga"), keysA.privateKey(), 0,
        IpPrefix.parse(IP_A + "/24"), 1420));
    int portB = backendB.up(new InterfaceConfig(lab.interfaceName("wgb"), keysB.privateKey(), 0,
        IpPrefix.parse(IP_B + "/24"), 1420));
    backendA.addPeer(new PeerConfig(keysB.publicKey(), null, new Endpoint("198.51.100.2", portB),
        List.of(IpPrefix.parse(IP_B + "/32")), 0));
    backendB.addPeer(new PeerConfig(keysA.publicKey(), null, new Endpoint("198.51.100.1", portA),
        List.of(IpPrefix.parse(IP_A + "/32")), 0));
    netA = backendA.partyNetwork().orElseThrow();
    netB = backendB.partyNetwork().orElseThrow();
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {backendA, backendB, lab}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void tcpGoesBothWaysThroughExposesForwardsAndSockets() throws Exception {
    assertEquals(IP_A, netA.localIp());
    try (ServerSocket loopbackOnly = nsA.call(() -> echoServer(InetAddress.getLoopbackAddress()), WAIT);
        ServerSocket allAddresses = nsA.call(() -> echoServer(null), WAIT)) {
      PortExposure relayed = netA.expose(TransportProtocol.TCP, 7000,
          new InetSocketAddress(InetAddress.getLoopbackAddress(), loopbackOnly.getLocalPort()));
      assertFalse(relayed.passthrough(), "a server on 127.0.0.1 only needs a relay from the virtual IP");
      PortExposure direct = netA.expose(TransportProtocol.TCP, allAddresses.getLocalPort(), null);
      assertTrue(direct.passthrough(), "a server on all addresses is reached directly: " + direct);

      // B's SDK socket -> A's relay -> A's loopback-only server, and back
      try (PartyStreamSocket s = netB.connect(IP_A, 7000, WAIT)) {
        byte[] sent = randomBytes(1 << 20);
        assertArrayEquals(sent, echo(s.inputStream(), s.outputStream(), sent, s::shutdownOutput));
      }
      try (PartyStreamSocket s = netB.connect(IP_A, allAddresses.getLocalPort(), WAIT)) {
        byte[] sent = "straight to the game server".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(sent, echo(s.inputStream(), s.outputStream(), sent, s::shutdownOutput));
      }

      // a program on B -> B's loopback forward -> A's expose; the connection is counted while open
      TransportForward forward = netB.forward(TransportProtocol.TCP, 0, IP_A, 7000);
      try (Socket game = nsB.call(() -> new Socket(forward.localAddress().getAddress(), forward.localAddress().getPort()),
          WAIT)) {
        game.setSoTimeout((int) WAIT.toMillis());
        game.getOutputStream().write("ping".getBytes(StandardCharsets.UTF_8));
        assertEquals("ping", new String(game.getInputStream().readNBytes(4), StandardCharsets.UTF_8));
        assertEquals(1, forward.activeConnections());
        assertEquals(1, relayed.activeConnections());
      }
      Lab.await("the forward's connection to end", WAIT, () -> forward.activeConnections() == 0);
    }

    // and the other way: B listens on its virtual IP, a program on A reaches it through A's forward
    try (PartyServerSocket server = netB.listen(9000)) {
      TransportForward forward = netA.forward(TransportProtocol.TCP, 0, IP_B, 9000);
      try (Socket game = nsA.call(() -> new Socket(forward.localAddress().getAddress(), forward.localAddress().getPort()),
          WAIT)) {
        game.setSoTimeout((int) WAIT.toMillis());
        PartyStreamSocket accepted = server.accept(WAIT);
        assertNotNull(accepted, "B accepted the forwarded connection");
        assertEquals(IP_A, accepted.remoteIp(), "the forward dials from A's virtual IP");
        accepted.outputStream().write("hello from B".getBytes(StandardCharsets.UTF_8));
        accepted.shutdownOutput();
        assertEquals("hello from B", new String(game.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        accepted.close();
      }
    }
    PartyServerSocket taken = netB.listen(9001);
    assertThrows(java.net.BindException.class, () -> netB.listen(9001), "a virtual port is listened on once");
    taken.close();
  }

  @Test
  void udpGoesBothWaysThroughExposesForwardsAndSockets() throws Exception {
    try (DatagramSocket echo = nsA.call(this::udpEchoServer, WAIT)) {
      PortExposure exposure = netA.expose(TransportProtocol.UDP, 7001,
          new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort()));
      assertFalse(exposure.passthrough());
      try (PartyDatagramSocket socket = netB.openDatagramSocket(0)) {
        PartyDatagram answer = roundTrip(socket, IP_A, 7001, "udp from B's SDK socket");
        assertEquals(IP_A, answer.sourceIp());
        assertEquals(7001, answer.sourcePort());
      }
      TransportForward forward = netB.forward(TransportProtocol.UDP, 0, IP_A, 7001);
      try (DatagramSocket game = nsB.call(() -> new DatagramSocket(new InetSocketAddress(
          InetAddress.getLoopbackAddress(), 0)), WAIT)) {
        game.setSoTimeout(500);
        byte[] payload = "udp from a program on B".getBytes(StandardCharsets.UTF_8);
        DatagramPacket answer = new DatagramPacket(new byte[1500], 1500);
        Lab.await("an answer through B's UDP forward", WAIT, () -> {
          try {
            game.send(new DatagramPacket(payload, payload.length, forward.localAddress()));
            game.receive(answer);
            return true;
          } catch (IOException lostOrNotYet) {
            return false;
          }
        });
        assertEquals("udp from a program on B", new String(answer.getData(), 0, answer.getLength(),
            StandardCharsets.UTF_8));
        assertEquals(1, forward.activeConnections());
        assertEquals(2, exposure.activeConnections(), "A keeps one session per source: B's SDK socket, B's forward");
      }
    }
    // A's SDK socket receives from B with B's virtual IP as the source
    try (PartyDatagramSocket onA = netA.openDatagramSocket(7100); PartyDatagramSocket onB = netB.openDatagramSocket(0)) {
      Lab.await("a datagram from B to A's socket", WAIT, () -> {
        try {
          onB.send(IP_A, 7100, ByteBuffer.wrap("to A".getBytes(StandardCharsets.UTF_8)));
          PartyDatagram d = onA.receive(Duration.ofMillis(500));
          return d != null && d.sourceIp().equals(IP_B) && d.sourcePort() == onB.localPort()
              && new String(d.payload(), StandardCharsets.UTF_8).equals("to A");
        } catch (IOException e) {
          return false;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      });
    }
  }

  @Test
  void badRequestsAreRefusedAndTheNetworkEndsWithTheInterface() throws Exception {
    assertThrows(IllegalArgumentException.class, () -> netA.forward(TransportProtocol.TCP, 0, "game.example", 80));
    assertThrows(IllegalArgumentException.class, () -> netA.expose(TransportProtocol.UDP, 0, null));
    try (ServerSocket elsewhere = nsA.call(() -> echoServer(null), WAIT)) {
      // the port is held by a server that is not the target: no silent passthrough
      java.net.BindException e = assertThrows(java.net.BindException.class, () -> netA.expose(TransportProtocol.TCP,
          elsewhere.getLocalPort(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 1)));
      assertTrue(e.getMessage().contains("taken by another program"), e.getMessage());
    }
    TransportForward forward = netA.forward(TransportProtocol.TCP, 0, IP_B, 9);
    backendA.down();
    assertTrue(backendA.partyNetwork().isEmpty());
    assertThrows(IOException.class, () -> nsA.call(() -> new Socket(forward.localAddress().getAddress(),
        forward.localAddress().getPort()), WAIT), "the forward's port closed with the interface");
    assertThrows(java.net.SocketException.class, () -> netA.listen(9002));
  }

  private static PartyDatagram roundTrip(PartyDatagramSocket socket, String ip, int port, String text)
      throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      socket.send(ip, port, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
      PartyDatagram answer = socket.receive(Duration.ofMillis(500));
      if (answer != null) {
        assertEquals(text, new String(answer.payload(), StandardCharsets.UTF_8));
        return answer;
      }
    }
    throw new AssertionError("no answer from " + ip + ":" + port + " within " + WAIT);
  }

  private interface HalfClose {
    void run() throws IOException;
  }

  /** Writes {@code sent} on a second thread while reading the echo to the end of the stream. */
  private static byte[] echo(InputStream in, OutputStream out, byte[] sent, HalfClose shutdownOutput)
      throws Exception {
    Thread writer = new Thread(() -> {
      try {
        out.write(sent);
        shutdownOutput.run();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    writer.start();
    byte[] received = in.readAllBytes();
    writer.join(WAIT.toMillis());
    return received;
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new Random(9).nextBytes(b);
    return b;
  }

  /** A TCP echo server on {@code address} (null: all addresses), any port; echoes until the client half-closes. */
  private static ServerSocket echoServer(InetAddress address) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, address);
    daemon(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          daemon(() -> {
            try (s) {
              s.getInputStream().transferTo(s.getOutputStream());
              s.shutdownOutput();
            } catch (IOException clientGone) {
              // the next client is served anyway
            }
          });
        } catch (IOException closed) {
          return;
        }
      }
    });
    return server;
  }

  private DatagramSocket udpEchoServer() throws IOException {
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    daemon(() -> {
      DatagramPacket p = new DatagramPacket(new byte[65535], 65535);
      while (!socket.isClosed()) {
        try {
          p.setLength(65535);
          socket.receive(p);
          socket.send(p);
        } catch (IOException closed) {
          return;
        }
      }
    });
    return socket;
  }

  private static void daemon(Runnable r) {
    Thread t = new Thread(r, "lab-echo");
    t.setDaemon(true);
    t.start();
  }
}
