package io.partynet.wireguard.embedded.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.PartyServerSocket;
import io.partynet.PartyStreamSocket;
import io.partynet.PortExposure;
import io.partynet.TransportProtocol;
import io.partynet.core.internal.socks.SocksProxyServer;
import io.partynet.spi.InterfaceConfig;
import io.partynet.spi.PartyNetwork;
import io.partynet.spi.PeerConfig;
import io.partynet.testing.Eventually;
import io.partynet.testing.Socks5Client;
import io.partynet.wireguard.embedded.internal.crypto.X25519;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SOCKS5 proxy of party-core on a real party network: two embedded members in one JVM on
 * loopback; member A runs the proxy, clients speak SOCKS5 over plain sockets (and curl) to
 * member B's virtual IP. Data both ways with half-close, the bound address, a refused port, a
 * reset, and an HTTP server exposed by B fetched by curl through the proxy.
 */
class SocksProxyEmbeddedTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String IP_A = "10.67.0.1";
  private static final String IP_B = "10.67.0.2";
  private final SecureRandom random = new SecureRandom();
  private EmbeddedBackend a;
  private EmbeddedBackend b;
  private PartyNetwork netB;
  private SocksProxyServer proxy;

  @BeforeEach
  void setUp() throws IOException {
    Key keyA = Key.fromBytes(X25519.generatePrivateKey(random));
    Key keyB = Key.fromBytes(X25519.generatePrivateKey(random));
    a = EmbeddedBackend.builder().bindAddress(InetAddress.getLoopbackAddress()).build();
    b = EmbeddedBackend.builder().bindAddress(InetAddress.getLoopbackAddress()).build();
    int portA = a.up(new InterfaceConfig("pnsA", keyA, 0, IpPrefix.parse(IP_A + "/24"), 1420));
    int portB = b.up(new InterfaceConfig("pnsB", keyB, 0, IpPrefix.parse(IP_B + "/24"), 1420));
    a.addPeer(new PeerConfig(Key.fromBytes(X25519.publicKey(keyB.toBytes())), null, new Endpoint("127.0.0.1", portB),
        List.of(IpPrefix.parse(IP_B + "/32")), 0));
    b.addPeer(new PeerConfig(Key.fromBytes(X25519.publicKey(keyA.toBytes())), null, new Endpoint("127.0.0.1", portA),
        List.of(IpPrefix.parse(IP_A + "/32")), 0));
    PartyNetwork netA = a.partyNetwork().orElseThrow();
    netB = b.partyNetwork().orElseThrow();
    proxy = SocksProxyServer.start(() -> netA, 0);
  }

  @AfterEach
  void tearDown() {
    proxy.close();
    a.close();
    b.close();
  }

  @Test
  void aSocksClientReachesAPeerWithDataBothWaysAndHalfClose() throws Exception {
    byte[] payload = new byte[1024 * 1024 + 3];
    new Random(7).nextBytes(payload);
    try (PartyServerSocket server = netB.listen(7100)) {
      CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> {
        try (PartyStreamSocket s = server.accept(WAIT)) {
          s.setReadTimeout(WAIT);
          byte[] got = s.inputStream().readAllBytes(); // ends with the client's half-close
          s.outputStream().write(sha256(got));
          s.shutdownOutput();
          return s.remotePort();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Socks5Client.Connected c = Socks5Client.connect(proxy.localAddress(), Socks5Client.connectToIpv4(IP_B, 7100), WAIT);
      try (Socket socket = c.socket()) {
        assertEquals(0, c.reply());
        assertEquals(IP_A, c.boundIp(), "BND.ADDR is this member's virtual IP");
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
          try {
            socket.getOutputStream().write(payload);
            socket.shutdownOutput();
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
        byte[] digest = socket.getInputStream().readAllBytes();
        writer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertArrayEquals(sha256(payload), digest, "the peer read exactly the bytes sent, then end of stream");
        assertEquals(c.boundPort(), served.get(WAIT.toSeconds(), TimeUnit.SECONDS), "BND.PORT is the party connection's port");
      }
    }
    Eventually.until(WAIT, () -> proxy.activeConnections() == 0, "the proxied connection to end");
  }

  /**
   * A client that stops reading while the peer keeps sending would block the proxy's write to it
   * for good (a socket write has no timeout): the watchdog resets the connection instead, and the
   * peer sees it end.
   */
  @Test
  void aClientThatStopsReadingIsResetAfterTheWriteTimeout() throws Exception {
    SocksProxyServer.Limits shortWrites = new SocksProxyServer.Limits(Duration.ofSeconds(10), Duration.ofSeconds(15),
        Duration.ofMillis(200), Duration.ofSeconds(1), 4);
    try (SocksProxyServer patient = SocksProxyServer.start(() -> a.partyNetwork().orElseThrow(), 0, shortWrites);
        PartyServerSocket server = netB.listen(7102)) {
      CompletableFuture<Boolean> flood = CompletableFuture.supplyAsync(() -> {
        byte[] chunk = new byte[64 * 1024];
        try (PartyStreamSocket s = server.accept(WAIT)) {
          while (true) {
            s.outputStream().write(chunk); // until the proxy resets the connection
          }
        } catch (IOException ended) {
          return true;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Socks5Client.Connected c = Socks5Client.connect(patient.localAddress(), Socks5Client.connectToIpv4(IP_B, 7102),
          WAIT);
      try (Socket idle = c.socket()) {
        assertEquals(0, c.reply());
        // never reads: the loopback buffers fill, the proxy's write blocks, the watchdog resets
        assertTrue(flood.get(WAIT.toSeconds(), TimeUnit.SECONDS), "the peer's writes end with the reset");
        Eventually.until(WAIT, () -> patient.activeConnections() == 0, "the stalled connection's slot to be released");
      }
    }
  }

  @Test
  void aClosedPortIsRefusedAndAResetIsPassedOn() throws Exception {
    Socks5Client.Connected refused = Socks5Client.connect(proxy.localAddress(), Socks5Client.connectToIpv4(IP_B, 7101), WAIT);
    assertEquals(0x05, refused.reply(), "connection refused");
    assertEquals("0.0.0.0", refused.boundIp());
    try (PartyServerSocket server = netB.listen(7102)) {
      Socks5Client.Connected c = Socks5Client.connect(proxy.localAddress(), Socks5Client.connectToName(IP_B, 7102), WAIT);
      try (Socket socket = c.socket(); PartyStreamSocket s = server.accept(WAIT)) {
        assertEquals(0, c.reply(), "a dotted IPv4 name is accepted");
        socket.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
        s.setReadTimeout(WAIT);
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), s.inputStream().readNBytes(5));
        s.abort();
        InputStream in = socket.getInputStream();
        assertThrows(SocketException.class, () -> {
          if (in.read() == -1) {
            throw new AssertionError("expected a reset, got end of stream");
          }
        });
      }
    }
    Eventually.until(WAIT, () -> proxy.activeConnections() == 0, "the reset connection to end");
  }

  @Test
  void curlFetchesAPageExposedByThePeerThroughTheProxy() throws Exception {
    Assumptions.assumeTrue(onPath("curl"), "curl is not installed");
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    byte[] page = "hello from member B\n".getBytes(StandardCharsets.UTF_8);
    http.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, page.length);
      try (OutputStream body = exchange.getResponseBody()) {
        body.write(page);
      }
    });
    http.start();
    try (PortExposure exposure = netB.expose(TransportProtocol.TCP, 8080,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), http.getAddress().getPort()))) {
      String socks = "127.0.0.1:" + proxy.localAddress().getPort();
      assertEquals(new String(page, StandardCharsets.UTF_8), curl("--socks5", socks, "http://" + IP_B + ":8080/"));
      assertEquals(new String(page, StandardCharsets.UTF_8), curl("--socks5-hostname", socks, "http://" + IP_B + ":8080/"));
    } finally {
      http.stop(0);
    }
  }

  private static String curl(String mode, String proxyAddress, String url) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("curl", "--silent", "--show-error", "--fail", "--max-time", "30",
        mode, proxyAddress, url).redirectErrorStream(true);
    for (String variable : List.of("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
        "no_proxy", "NO_PROXY")) {
      pb.environment().remove(variable);
    }
    Process p = pb.start();
    try {
      byte[] out = p.getInputStream().readAllBytes(); // curl's own --max-time bounds this
      assertTrue(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "curl did not exit");
      String text = new String(out, StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), "curl " + mode + ": " + text);
      return text;
    } finally {
      p.destroyForcibly();
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (new File(dir, program).canExecute()) {
        return true;
      }
    }
    return false;
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
