package io.partynet.wireguard.embedded.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.PartyServerSocket;
import io.partynet.PartyStreamSocket;
import io.partynet.PortExposure;
import io.partynet.TransportForward;
import io.partynet.TransportProtocol;
import io.partynet.spi.InterfaceConfig;
import io.partynet.spi.PartyNetwork;
import io.partynet.spi.PeerConfig;
import io.partynet.testing.Eventually;
import io.partynet.wireguard.embedded.internal.crypto.X25519;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two embedded backends in one JVM on loopback, TCP and UDP over the userspace stack: stream
 * sockets with half-close and reset, closed ports, an exposed local server reached through the
 * other member's forward (TCP and UDP, several clients at once).
 */
class EmbeddedTcpPairTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private final SecureRandom random = new SecureRandom();
  private final Key keyA = Key.fromBytes(X25519.generatePrivateKey(random));
  private final Key keyB = Key.fromBytes(X25519.generatePrivateKey(random));
  private EmbeddedBackend a;
  private EmbeddedBackend b;
  private PartyNetwork netA;
  private PartyNetwork netB;

  @BeforeEach
  void setUp() throws IOException {
    a = EmbeddedBackend.builder().bindAddress(InetAddress.getLoopbackAddress()).build();
    b = EmbeddedBackend.builder().bindAddress(InetAddress.getLoopbackAddress()).build();
    int portA = a.up(new InterfaceConfig("pneA", keyA, 0, IpPrefix.parse("10.66.0.1/24"), 1420));
    int portB = b.up(new InterfaceConfig("pneB", keyB, 0, IpPrefix.parse("10.66.0.2/24"), 1420));
    a.addPeer(new PeerConfig(Key.fromBytes(X25519.publicKey(keyB.toBytes())), null, new Endpoint("127.0.0.1", portB),
        List.of(IpPrefix.parse("10.66.0.2/32")), 0));
    b.addPeer(new PeerConfig(Key.fromBytes(X25519.publicKey(keyA.toBytes())), null, new Endpoint("127.0.0.1", portA),
        List.of(IpPrefix.parse("10.66.0.1/32")), 0));
    netA = a.partyNetwork().orElseThrow();
    netB = b.partyNetwork().orElseThrow();
  }

  @AfterEach
  void tearDown() {
    a.close();
    b.close();
  }

  @Test
  void streamSocketsCarryDataBothWaysWithHalfClose() throws Exception {
    byte[] payload = new byte[3 * 1024 * 1024 + 17];
    new Random(1).nextBytes(payload);
    try (PartyServerSocket server = netB.listen(7000)) {
      CompletableFuture<byte[]> served = CompletableFuture.supplyAsync(() -> {
        try (PartyStreamSocket s = server.accept(WAIT)) {
          byte[] got = s.inputStream().readAllBytes();
          s.outputStream().write(sha256(got));
          s.shutdownOutput();
          return got;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      try (PartyStreamSocket c = netA.connect("10.66.0.2", 7000, WAIT)) {
        assertEquals("10.66.0.2", c.remoteIp());
        assertEquals(7000, c.remotePort());
        c.outputStream().write(payload);
        c.shutdownOutput();
        byte[] digest = c.inputStream().readAllBytes();
        byte[] got = served.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(-1, java.util.Arrays.mismatch(payload, 0, got.length, got, 0, got.length), "a prefix");
        assertEquals(payload.length, got.length);
        assertArrayEquals(payload, got);
        assertArrayEquals(sha256(payload), digest, "the server read exactly what was written (half-close)");
      }
    }
  }

  @Test
  void aClosedPortRefusesAndAnAbortResetsThePeer() throws Exception {
    ConnectException refused = assertThrows(ConnectException.class, () -> netA.connect("10.66.0.2", 7001, WAIT));
    assertTrue(refused.getMessage().contains("refused"), refused.getMessage());
    assertTrue(b.stackCounters().tcpResetsForUnknown.get() >= 1);
    try (PartyServerSocket server = netB.listen(7002);
        PartyStreamSocket c = netA.connect("10.66.0.2", 7002, WAIT);
        PartyStreamSocket s = server.accept(WAIT)) {
      assertNotNull(s);
      s.abort();
      c.setReadTimeout(WAIT);
      SocketException reset = assertThrows(SocketException.class, () -> c.inputStream().read());
      assertTrue(reset.getMessage().contains("reset"), reset.getMessage());
    }
  }

  @Test
  void anExposedLocalServerIsReachedThroughAForwardByManyClients() throws Exception {
    try (ServerSocket local = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread echo = new Thread(() -> echoServer(local));
      echo.setDaemon(true);
      echo.start();
      try (PortExposure exposure = netB.expose(TransportProtocol.TCP, 8080,
              new InetSocketAddress(InetAddress.getLoopbackAddress(), local.getLocalPort()));
          TransportForward forward = netA.forward(TransportProtocol.TCP, 0, "10.66.0.2", 8080)) {
        List<CompletableFuture<Boolean>> clients = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
          int seed = i;
          clients.add(CompletableFuture.supplyAsync(() -> echoOnce(forward.localAddress(), seed)));
        }
        for (CompletableFuture<Boolean> c : clients) {
          assertTrue(c.get(60, TimeUnit.SECONDS));
        }
        Eventually.until(WAIT, () -> exposure.activeConnections() == 0
            && forward.activeConnections() == 0, "all connections to close");
      }
    }
  }

  @Test
  void aForwardToAClosedPortResetsTheLocalClient() throws Exception {
    try (TransportForward forward = netA.forward(TransportProtocol.TCP, 0, "10.66.0.2", 7003);
        Socket client = new Socket()) {
      client.connect(forward.localAddress(), 5000);
      client.setSoTimeout((int) WAIT.toMillis());
      InputStream in = client.getInputStream();
      assertThrows(SocketException.class, () -> {
        if (in.read() == -1) {
          throw new AssertionError("expected a reset, got end of stream");
        }
      });
    }
  }

  @Test
  void udpExposeAndForwardKeepClientsApart() throws Exception {
    try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Thread echo = new Thread(() -> udpEcho(server));
      echo.setDaemon(true);
      echo.start();
      try (PortExposure exposure = netB.expose(TransportProtocol.UDP, 9090,
              new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
          TransportForward forward = netA.forward(TransportProtocol.UDP, 0, "10.66.0.2", 9090);
          DatagramSocket one = new DatagramSocket(0, InetAddress.getLoopbackAddress());
          DatagramSocket two = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        assertEquals("echo:one", udpRoundTrip(one, forward.localAddress(), "one"));
        assertEquals("echo:two", udpRoundTrip(two, forward.localAddress(), "two"));
        assertEquals(2, forward.activeConnections());
        assertEquals(2, exposure.activeConnections());
      }
    }
  }

  private static String udpRoundTrip(DatagramSocket socket, InetSocketAddress to, String text) throws IOException {
    socket.setSoTimeout(300);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      socket.send(new DatagramPacket(bytes, bytes.length, to));
      DatagramPacket reply = new DatagramPacket(new byte[1500], 1500);
      try {
        socket.receive(reply);
        return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8);
      } catch (java.net.SocketTimeoutException retry) {
        // the first datagram may wait for the handshake
      }
    }
    throw new AssertionError("no UDP answer through the forward");
  }

  private static void udpEcho(DatagramSocket server) {
    DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
    while (!server.isClosed()) {
      try {
        p.setLength(1500);
        server.receive(p);
        byte[] reply = ("echo:" + new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.UTF_8);
        server.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private static boolean echoOnce(InetSocketAddress to, int seed) {
    byte[] payload = new byte[200_000 + seed * 1000];
    new Random(seed).nextBytes(payload);
    try (Socket s = new Socket()) {
      s.connect(to, 5000);
      s.setSoTimeout(30_000);
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        try {
          OutputStream out = s.getOutputStream();
          out.write(payload);
          s.shutdownOutput();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      byte[] back = s.getInputStream().readAllBytes();
      writer.get(30, TimeUnit.SECONDS);
      return java.util.Arrays.equals(payload, back);
    } catch (Exception e) {
      throw new IllegalStateException("client " + seed + ": " + e, e);
    }
  }

  private static void echoServer(ServerSocket local) {
    while (!local.isClosed()) {
      try {
        Socket s = local.accept();
        Thread t = new Thread(() -> {
          try (s) {
            s.getInputStream().transferTo(s.getOutputStream());
            s.shutdownOutput();
          } catch (IOException ignored) {
            // the client went away
          }
        });
        t.setDaemon(true);
        t.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
