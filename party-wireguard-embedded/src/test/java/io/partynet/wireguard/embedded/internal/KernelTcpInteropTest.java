package io.partynet.wireguard.embedded.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.PartyDatagram;
import io.partynet.PartyDatagramSocket;
import io.partynet.PartyServerSocket;
import io.partynet.PartyStreamSocket;
import io.partynet.PortExposure;
import io.partynet.TransportForward;
import io.partynet.TransportProtocol;
import io.partynet.spi.PartyNetwork;
import io.partynet.testing.Eventually;
import io.partynet.testing.lab.LabTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The userspace TCP/IP stack against the Linux kernel's, over real WireGuard: wireguard-go in a
 * network namespace at 10.200.N.1, the embedded member at 10.200.N.2 in this JVM. Unmodified
 * programs (curl, python3's http.server and sockets, socat, iperf3, ping) run on the kernel side.
 * Needs root, wireguard-go, wg, ip, iptables, curl, socat, iperf3, python3; skipped otherwise.
 * One lab for the whole class ({@link KernelTcpLab}, set-up costs seconds); budget about two minutes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@LabTest(needs = LabTest.Need.WIREGUARD_GO)
class KernelTcpInteropTest {
  private static final int BIG = KernelTcpLab.BIG;
  private static final Duration WAIT = KernelTcpLab.WAIT;

  private final SecureRandom random = new SecureRandom();
  private final MutableClock clock = new MutableClock();
  private KernelTcpLab kernel;
  private WireGuardGoLab lab;
  private EmbeddedBackend backend;
  private PartyNetwork net;

  @BeforeAll
  void setUp() throws Exception {
    kernel = KernelTcpLab.open(clock, KernelTcpLab.DIRECT);
    lab = kernel.lab;
    backend = kernel.backend;
    net = kernel.net;
  }

  @AfterAll
  void tearDown() {
    if (kernel != null) {
      kernel.close();
    }
  }

  @Test
  void pingBothWaysAndAFragmentedDatagramIsReassembled() throws Exception {
    String out = kernel.inNamespace(WAIT, "ping", "-c", "3", "-i", "0.2", "-W", "2", lab.embeddedTunnelAddress());
    assertTrue(out.contains("3 received"), out);
    assertTrue(backend.ping(lab.wgTunnelAddress(), Duration.ofSeconds(5)));
    try (PartyDatagramSocket socket = net.openDatagramSocket(5353)) {
      String text = "x".repeat(3000);
      kernel.inNamespace(WAIT, "python3", "-c", "import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); "
          + "s.sendto(b'" + text + "', ('" + lab.embeddedTunnelAddress() + "', 5353))");
      PartyDatagram got = socket.receive(WAIT);
      assertNotNull(got, "the 3000-byte datagram (three fragments at MTU 1420) did not arrive");
      assertEquals(text, new String(got.payload(), StandardCharsets.UTF_8));
    }
    assertTrue(backend.stackCounters().icmpEchoReplies.get() >= 3);
  }

  @Test
  void curlDownloads100MiBFromAServerTheEmbeddedMemberExposes() throws Exception {
    assertEquals(HexFormat.of().formatHex(kernel.bigHash), kernel.downloadThroughExpose(8080));
  }

  @Test
  void socatUploads100MiBToAnEmbeddedListener() throws Exception {
    assertArrayEquals(kernel.bigHash, kernel.uploadAndHash(9000, BIG));
  }

  @Test
  void transfersSurviveTwoPercentLossBothWays() throws Exception {
    String wg = lab.wgInterface;
    String[] rules = {"-i " + wg, "-o " + wg};
    String chain = "INPUT";
    for (String rule : rules) {
      kernel.inNamespace(WAIT, ("iptables -A " + chain + " " + rule
          + " -m statistic --mode random --probability 0.02 -j DROP").split(" "));
      chain = "OUTPUT";
    }
    try {
      assertEquals(HexFormat.of().formatHex(kernel.bigHash), kernel.downloadThroughExpose(8081));
      assertArrayEquals(kernel.bigHash, kernel.uploadAndHash(9001, BIG));
      String counters = kernel.inNamespace(WAIT, "iptables", "-L", "-v", "-n");
      assertTrue(counters.contains("statistic"), counters);
    } finally {
      kernel.inNamespace(WAIT, "iptables", "-F", "INPUT");
      kernel.inNamespace(WAIT, "iptables", "-F", "OUTPUT");
    }
  }

  @Test
  void forwardsReachKernelServersInBothDirections() throws Exception {
    int iperfPort = 5201;
    Process iperf = kernel.startInNamespace("iperf3", "-s", "-B", lab.wgTunnelAddress(), "-p", Integer.toString(iperfPort));
    kernel.waitForKernelPort(iperfPort);
    try (TransportForward forward = net.forward(TransportProtocol.TCP, 0, lab.wgTunnelAddress(), iperfPort)) {
      String port = Integer.toString(forward.localAddress().getPort());
      String up = KernelTcpLab.run(Duration.ofSeconds(60), "iperf3", "-c", "127.0.0.1", "-p", port, "-n", "20M");
      assertTrue(up.contains("iperf Done"), up);
      String down = KernelTcpLab.run(Duration.ofSeconds(60), "iperf3", "-c", "127.0.0.1", "-p", port, "-n", "20M", "-R");
      assertTrue(down.contains("iperf Done"), down);
    } finally {
      iperf.destroyForcibly();
    }
    int httpPort = 8000 + random.nextInt(500);
    Process http = kernel.startInNamespace("python3", "-m", "http.server", Integer.toString(httpPort), "--bind",
        lab.wgTunnelAddress(), "--directory", lab.dir().toString());
    kernel.waitForKernelPort(httpPort);
    try (TransportForward forward = net.forward(TransportProtocol.TCP, 0, lab.wgTunnelAddress(), httpPort)) {
      String hash = KernelTcpLab.run(Duration.ofSeconds(90), "sh", "-c", "curl -sS --max-time 80 http://127.0.0.1:"
          + forward.localAddress().getPort() + "/big.bin | sha256sum").split(" ")[0];
      assertEquals(HexFormat.of().formatHex(kernel.bigHash), hash, "100 MiB from the kernel's server through the forward");
    } finally {
      http.destroyForcibly();
    }
  }

  @Test
  void twoHundredConcurrentHalfClosingClientsShareOneExpose() throws Exception {
    try (ServerSocket echo = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        PortExposure exposure = net.expose(TransportProtocol.TCP, 7000,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort()))) {
      Thread server = new Thread(() -> echoAfterEof(echo));
      server.setDaemon(true);
      server.start();
      Path script = lab.dir().resolve("clients.py");
      Files.writeString(script, String.join("\n",
          "import socket, sys, threading",
          "N = 200",
          "socks = [socket.create_connection(('" + lab.embeddedTunnelAddress() + "', 7000), timeout=60) for _ in range(N)]",
          "ok = [False] * N",
          "def talk(i):",
          "    s = socks[i]",
          "    msg = (('client %d ' % i) * 500).encode()",
          "    s.sendall(msg)",
          "    s.shutdown(socket.SHUT_WR)",
          "    got = b''",
          "    while True:",
          "        part = s.recv(65536)",
          "        if not part: break",
          "        got += part",
          "    ok[i] = got == msg",
          "    s.close()",
          "threads = [threading.Thread(target=talk, args=(i,)) for i in range(N)]",
          "[t.start() for t in threads]",
          "[t.join() for t in threads]",
          "print('ok', sum(ok))",
          ""));
      String out = kernel.inNamespace(Duration.ofSeconds(90), "python3", script.toString());
      assertTrue(out.contains("ok 200"), out);
      Eventually.until(WAIT, () -> exposure.activeConnections() == 0, "every carried connection to end");
    }
  }

  @Test
  void resetsAndClosedPortsBothWays() throws Exception {
    String refused = kernel.inNamespace(WAIT, "python3", "-c", "import socket\ntry:\n socket.create_connection(('"
        + lab.embeddedTunnelAddress() + "', 7999), timeout=10)\n print('connected')\n"
        + "except ConnectionRefusedError:\n print('refused')");
    assertTrue(refused.contains("refused"), refused);
    ConnectException toKernel = assertThrows(ConnectException.class,
        () -> net.connect(lab.wgTunnelAddress(), 7998, WAIT));
    assertTrue(toKernel.getMessage().contains("refused"), toKernel.getMessage());
    int closedLocal = KernelTcpLab.freePort();
    try (PortExposure exposure = net.expose(TransportProtocol.TCP, 7001,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), closedLocal))) {
      // the reset may come before the client's connect returns, or at its first read
      String reset = kernel.inNamespace(WAIT, "python3", "-c", "import socket\ntry:\n s = socket.create_connection(('"
          + lab.embeddedTunnelAddress() + "', 7001), timeout=10)\n print('read', s.recv(10))\n"
          + "except ConnectionResetError:\n print('reset')");
      assertTrue(reset.contains("reset"), "a refused local server resets the peer: " + reset);
    }
    try (PartyServerSocket server = net.listen(7002)) {
      CompletableFuture<PartyStreamSocket> accepted = CompletableFuture.supplyAsync(() -> {
        try {
          return server.accept(WAIT);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      kernel.inNamespace(WAIT, "python3", "-c", "import socket, struct\ns = socket.create_connection(('"
          + lab.embeddedTunnelAddress() + "', 7002), timeout=10)\ns.sendall(b'bye')\n"
          + "s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))\ns.close()");
      try (PartyStreamSocket s = accepted.get(30, TimeUnit.SECONDS)) {
        s.setReadTimeout(WAIT);
        InputStream in = s.inputStream();
        SocketException e = assertThrows(SocketException.class, () -> {
          while (in.read() >= 0) {
            // drain what arrived before the reset
          }
        });
        assertTrue(e.getMessage().contains("reset"), e.getMessage());
      }
    }
  }

  @Test
  void anIdleConnectionSurvivesAWireGuardRekey() throws Exception {
    int echoPort = 7200;
    Process echo = kernel.startInNamespace("socat", "TCP-LISTEN:" + echoPort + ",bind=" + lab.wgTunnelAddress()
        + ",reuseaddr", "EXEC:cat");
    kernel.waitForKernelPort(echoPort);
    try (PartyStreamSocket s = net.connect(lab.wgTunnelAddress(), echoPort, WAIT)) {
      s.setReadTimeout(WAIT);
      assertEquals("before", echoLine(s, "before"));
      Instant handshake = backend.peerStats().get(0).lastHandshake();
      clock.advance(Duration.ofSeconds(121));
      backend.runTimers();
      Eventually.until(WAIT, () -> {
        try {
          backend.runTimers();
          return !handshake.equals(backend.peerStats().get(0).lastHandshake());
        } catch (IOException e) {
          return false;
        }
      }, "a new handshake after REKEY_AFTER_TIME");
      assertNotEquals(handshake, backend.peerStats().get(0).lastHandshake());
      assertEquals("after", echoLine(s, "after"));
    } finally {
      echo.destroyForcibly();
    }
  }

  // ---- helpers ----

  private static String echoLine(PartyStreamSocket s, String text) throws IOException {
    s.outputStream().write((text + "\n").getBytes(StandardCharsets.UTF_8));
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = s.inputStream().read()) >= 0 && c != '\n') {
      line.append((char) c);
    }
    return line.toString();
  }

  private static void echoAfterEof(ServerSocket server) {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> {
          try (s) {
            byte[] all = s.getInputStream().readAllBytes();
            s.getOutputStream().write(all);
            s.shutdownOutput();
          } catch (IOException ignored) {
            // a client that went away
          }
        });
        t.setDaemon(true);
        t.start();
      } catch (IOException closed) {
        return;
      }
    }
  }
}
