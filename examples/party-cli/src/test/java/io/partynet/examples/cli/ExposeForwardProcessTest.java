package io.partynet.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.partynet.testing.Eventually;
import io.partynet.testing.Socks5Client;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two embedded-backend members (two JVMs, WireGuard and TCP/IP in user space, loopback only) host
 * and join each other's servers through the real {@code party} command: alice exposes a local TCP
 * and a UDP echo server (one from {@code --expose} at start, the others from {@code party expose}
 * while running), bob forwards loopback ports to them (and alice to bob's server), and bytes go
 * both ways through the tunnels; {@code party status} lists each with its connection count; bad
 * input is refused with the documented exit codes. The members are {@code party} processes; the
 * short commands run in this JVM through the same code ({@link PartyCommand}).
 */
class ExposeForwardProcessTest {
  private static final Duration QUICK = Duration.ofSeconds(30);
  private static final Duration MEMBER = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;
  private final List<AutoCloseable> running = new ArrayList<>();

  @AfterEach
  void stopEverything() throws Exception {
    for (AutoCloseable c : running) {
      c.close();
    }
  }

  private String[] member(String command, String argument, String name, String... more) {
    List<String> args = new ArrayList<>(List.of(command, argument, "--home", home(name), "--name", name,
        "--network", "embedded", "--set", "control.local.discovery-file=" + dir.resolve("discovery.json"),
        "--set", "network.listen-port=0", "--set", "embedded.bind-address=127.0.0.1",
        "--set", "network.advertise-address=127.0.0.1"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private String home(String name) {
    return dir.resolve(name).toString();
  }

  /** What a short command printed: its exit code and lines. */
  private record Ran(int exitCode, List<String> stdout, List<String> stderr) {}

  /**
   * A short command (expose, forward, status) through the same code as the {@code party}
   * process, in this JVM ({@link PartyCommand}): it reaches the member process over its real
   * control socket, without starting a JVM per request.
   */
  private static Ran party(String... args) {
    PartyCommand.Result r = PartyCommand.run(args);
    return new Ran(r.exitCode(), r.stdout().lines().toList(), r.stderr().lines().toList());
  }

  private JsonNode json(Ran p) throws IOException {
    assertEquals(0, p.exitCode(), "stdout " + p.stdout() + " stderr " + p.stderr());
    return JSON.readTree(String.join("\n", p.stdout()));
  }

  @Test
  void membersHostAndJoinEachOthersTcpAndUdpServersThroughTheCli() throws Exception {
    EchoServers aliceServers = new EchoServers();
    running.add(aliceServers);
    CliProcess alice = CliProcess.start(member("create", "LAN", "alice",
        "--expose", "tcp:25565:127.0.0.1:" + aliceServers.tcpPort()));
    running.add(alice);
    String code = alice.awaitLine(l -> l.startsWith("Invite code: "), MEMBER, "with the invite code")
        .substring("Invite code: ".length());
    alice.awaitLine(l -> l.contains("expose tcp 10.77.0.1:25565 -> 127.0.0.1:" + aliceServers.tcpPort()), QUICK,
        "confirming the --expose");
    CliProcess bob = CliProcess.start(member("join", code, "bob", "--forward", "udp:0:10.77.0.1:7777"));
    running.add(bob);
    bob.awaitLine(l -> l.startsWith("You are bob at 10.77.0.2"), MEMBER, "confirming bob's address");

    JsonNode udpExpose = json(party("expose", "udp", "7777", "--to", "127.0.0.1:" + aliceServers.udpPort(), "--json",
        "--home", home("alice")));
    assertEquals(7777, udpExpose.path("virtualPort").asInt());
    assertEquals(false, udpExpose.path("passthrough").asBoolean());
    JsonNode tcpForward = json(party("forward", "tcp", "0", "10.77.0.1:25565", "--json", "--home", home("bob")));
    int bobTcpPort = Integer.parseInt(tcpForward.path("localAddress").asText().split(":")[1]);
    JsonNode bobForwards = json(party("status", "--json", "--home", home("bob"))).path("forwards");
    assertEquals(2, bobForwards.size(), bobForwards.toString());
    int bobUdpPort = Integer.parseInt(bobForwards.get(0).path("localAddress").asText().split(":")[1]);

    // bob's game client -> bob's forward -> tunnel -> alice's expose -> alice's server, and back
    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), bobTcpPort)) {
      client.setSoTimeout((int) QUICK.toMillis());
      byte[] sent = new byte[256 * 1024];
      new Random(11).nextBytes(sent);
      assertArrayEquals(sent, echo(client, sent, false));
      JsonNode aliceExposes = json(party("status", "--json", "--home", home("alice"))).path("exposes");
      assertEquals(1, aliceExposes.get(0).path("activeConnections").asInt(), aliceExposes.toString());
      assertEquals(1, json(party("status", "--json", "--home", home("bob"))).path("forwards").get(1)
          .path("activeConnections").asInt());
      Ran table = party("status", "--home", home("alice"));
      assertTrue(table.stdout().contains("expose tcp 10.77.0.1:25565 -> 127.0.0.1:" + aliceServers.tcpPort()
          + "  1 connection(s)"), table.stdout().toString());
      client.shutdownOutput();
      assertEquals(-1, client.getInputStream().read(), "alice's server half-closes after the echo");
    }
    assertEquals("udp hello", udpRoundTrip(bobUdpPort, "udp hello"));

    // and the other way: bob hosts, alice joins
    EchoServers bobServers = new EchoServers();
    running.add(bobServers);
    Ran bobExpose = party("expose", "tcp", "8080", "--to", "127.0.0.1:" + bobServers.tcpPort(), "--home",
        home("bob"));
    assertEquals(List.of("expose tcp 10.77.0.2:8080 -> 127.0.0.1:" + bobServers.tcpPort() + "  0 connection(s)"),
        bobExpose.stdout(), bobExpose.stderr().toString());
    JsonNode aliceForward = json(party("forward", "tcp", "0", "10.77.0.2:8080", "--json", "--home", home("alice")));
    int aliceTcpPort = Integer.parseInt(aliceForward.path("localAddress").asText().split(":")[1]);
    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), aliceTcpPort)) {
      client.setSoTimeout((int) QUICK.toMillis());
      byte[] sent = "hello from alice's side".getBytes(StandardCharsets.UTF_8);
      assertArrayEquals(sent, echo(client, sent, true));
    }
    Eventually.until(QUICK, () -> activeConnections("alice", "exposes", 0) == 0,
        "alice's TCP expose counts its closed connection out");

    // alice reaches bob's server through a SOCKS5 proxy instead of a forward per port
    JsonNode socks = json(party("socks", "0", "--json", "--home", home("alice")));
    String[] proxy = socks.path("socks").asText().split(":");
    Socks5Client.Connected viaProxy = Socks5Client.connect(
        new InetSocketAddress(proxy[0], Integer.parseInt(proxy[1])), Socks5Client.connectToIpv4("10.77.0.2", 8080), QUICK);
    try (Socket client = viaProxy.socket()) {
      assertEquals(0, viaProxy.reply(), "SOCKS5 success");
      client.setSoTimeout((int) QUICK.toMillis());
      byte[] sent = "hello through the proxy".getBytes(StandardCharsets.UTF_8);
      assertArrayEquals(sent, echo(client, sent, false));
      Ran table = party("status", "--home", home("alice"));
      assertTrue(table.stdout().contains("socks5 proxy " + socks.path("socks").asText()
          + " -> the party network  1 connection(s)"), table.stdout().toString());
    }
  }

  @Test
  void badRequestsAreRefusedWithTheirExitCodes() throws Exception {
    Ran noMember = party("expose", "tcp", "25565", "--home", home("nobody"));
    assertEquals(ExitCode.NOT_FOUND.code, noMember.exitCode(), noMember.stderr().toString());
    assertUsage(party("expose", "sctp", "25565"), "tcp or udp");
    assertUsage(party("expose", "tcp", "70000"), "1 to 65535");
    assertUsage(party("forward", "udp", "0", "10.77.0.300:7777"), "virtual IPv4");
    assertUsage(party("forward", "udp", "0", "10.77.0.1"), "HOST:PORT");
    assertUsage(party("socks", "-1"), "0 to 65535");
    assertUsage(party(member("create", "LAN", "alice", "--forward", "tcp:25565")), "PROTOCOL:LOCAL_PORT");

    CliProcess alice = CliProcess.start(member("create", "LAN", "alice", "--expose", "tcp:25565"));
    running.add(alice);
    alice.awaitLine(l -> l.contains("expose tcp 10.77.0.1:25565"), MEMBER, "confirming the --expose");
    Ran twice = party("expose", "tcp", "25565", "--home", home("alice"));
    assertEquals(ExitCode.FAILURE.code, twice.exitCode());
    assertTrue(twice.stderr().get(0).contains("in use"), twice.stderr().toString());
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Ran busy = party("forward", "tcp", Integer.toString(taken.getLocalPort()), "10.77.0.2:80", "--home",
          home("alice"));
      assertEquals(ExitCode.FAILURE.code, busy.exitCode());
      assertTrue(busy.stderr().get(0).contains("in use"), busy.stderr().toString());
    }

    CliProcess offline = CliProcess.start(member("create", "Quiet", "carol", "--network", "off"));
    running.add(offline);
    offline.awaitLine(l -> l.startsWith("Invite code: "), MEMBER, "with the invite code");
    Ran noNetwork = party("forward", "udp", "0", "10.77.0.1:7777", "--home", home("carol"));
    assertEquals(ExitCode.UNAVAILABLE.code, noNetwork.exitCode(), noNetwork.stderr().toString());
    assertTrue(noNetwork.stderr().get(0).contains("network is off"), noNetwork.stderr().toString());
  }

  private static void assertUsage(Ran p, String expected) {
    assertEquals(ExitCode.USAGE.code, p.exitCode(), p.stderr().toString());
    assertTrue(p.stderr().get(0).contains(expected), p.stderr().toString());
  }

  private int activeConnections(String name, String kind, int index) {
    try {
      return json(party("status", "--json", "--home", home(name))).path(kind).get(index).path("activeConnections")
          .asInt();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Writes {@code sent} while reading its echo; with {@code halfClose}, then shuts the output down
   * and reads to the end of the stream (the connection is over), else leaves it open.
   */
  private static byte[] echo(Socket client, byte[] sent, boolean halfClose) throws Exception {
    Thread writer = new Thread(() -> {
      try {
        OutputStream out = client.getOutputStream();
        out.write(sent);
        if (halfClose) {
          client.shutdownOutput();
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    writer.start();
    byte[] received = halfClose ? client.getInputStream().readAllBytes()
        : client.getInputStream().readNBytes(sent.length);
    writer.join(QUICK.toMillis());
    return received;
  }

  private static String udpRoundTrip(int port, String text) throws IOException {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      socket.setSoTimeout(500);
      byte[] payload = text.getBytes(StandardCharsets.UTF_8);
      DatagramPacket answer = new DatagramPacket(new byte[1500], 1500);
      long deadline = System.nanoTime() + QUICK.toNanos();
      // UDP may be lost while the tunnel's first handshake completes: resend until answered
      while (System.nanoTime() < deadline) {
        socket.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), port));
        try {
          socket.receive(answer);
          return new String(answer.getData(), 0, answer.getLength(), StandardCharsets.UTF_8);
        } catch (java.net.SocketTimeoutException retry) {
          // resend
        }
      }
      throw new AssertionError("no UDP answer through forward port " + port + " within " + QUICK);
    }
  }

  /** A TCP echo server (one thread per connection, echoes until the client half-closes) and a UDP echo server. */
  private static final class EchoServers implements AutoCloseable {
    private final ServerSocket tcp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));

    EchoServers() throws IOException {
      daemon(this::acceptLoop);
      daemon(this::udpLoop);
    }

    int tcpPort() {
      return tcp.getLocalPort();
    }

    int udpPort() {
      return udp.getLocalPort();
    }

    private static void daemon(Runnable r) {
      Thread t = new Thread(r, "echo");
      t.setDaemon(true);
      t.start();
    }

    private void acceptLoop() {
      while (!tcp.isClosed()) {
        try {
          Socket s = tcp.accept();
          daemon(() -> {
            try (s; InputStream in = s.getInputStream()) {
              in.transferTo(s.getOutputStream());
              s.shutdownOutput();
            } catch (IOException ignored) {
              // the client went away
            }
          });
        } catch (IOException closed) {
          return;
        }
      }
    }

    private void udpLoop() {
      DatagramPacket p = new DatagramPacket(new byte[65535], 65535);
      while (!udp.isClosed()) {
        try {
          p.setLength(65535);
          udp.receive(p);
          udp.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
        } catch (IOException closed) {
          return;
        }
      }
    }

    @Override
    public void close() throws IOException {
      tcp.close();
      udp.close();
    }
  }
}
