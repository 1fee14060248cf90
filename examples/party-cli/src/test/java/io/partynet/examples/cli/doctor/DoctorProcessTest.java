package io.partynet.examples.cli.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.partynet.examples.cli.PartyCommand;
import io.partynet.server.internal.ControlServer;
import io.partynet.testing.Eventually;
import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code party doctor} through the command line's own entry point ({@code PartyCli}, as the lab
 * tests drive it): against a live control plane server and a
 * real STUN server (coturn on loopback) everything passes; against a dead server and a STUN
 * address nobody answers on, with a private key others can read, the failures are named with
 * their fixes and the exit code is 1.
 */
class DoctorProcessTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private ControlServer server;
  private Process coturn;

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.close();
    }
    if (coturn != null) {
      coturn.destroy();
      if (!coturn.waitFor(5, TimeUnit.SECONDS)) {
        coturn.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aLiveServerAndStunServerPassEveryCheck() throws Exception {
    server = ControlServer.builder().host("127.0.0.1").port(0).database(dir.resolve("server.db")).build().start();
    int stunPort = startStunServer();
    String home = dir.resolve("home").toString();
    String[] args = {"doctor", "--home", home, "--network", "embedded", "--server", "http://127.0.0.1:" + server.port(),
        "--set", "nat.stun-servers=127.0.0.1:" + stunPort, "--set", "nat.turn-server=127.0.0.1:" + stunPort,
        "--set", "network.listen-port=0"};

    PartyCommand.Result json = PartyCommand.run(append(args, "--json"));
    assertEquals(0, json.exitCode(), json.stdout() + json.stderr());
    Map<String, JsonNode> checks = byName(JSON.readTree(json.stdout()));
    assertTrue(JSON.readTree(json.stdout()).path("healthy").asBoolean());
    assertEquals("PASS", status(checks, "backend"), checks.toString());
    assertTrue(checks.get("backend").path("detail").asText().contains("embedded"));
    assertEquals("PASS", status(checks, "control plane"), checks.toString());
    assertTrue(checks.get("control plane").path("detail").asText().matches(".* answers in \\d+ ms"),
        checks.get("control plane").toString());
    assertEquals("PASS", status(checks, "clock"), checks.toString());
    assertEquals("PASS", status(checks, "stun 127.0.0.1:" + stunPort), checks.toString());
    assertEquals("PASS", status(checks, "nat"), "loopback is no NAT: " + checks.get("nat"));
    assertEquals("PASS", status(checks, "turn 127.0.0.1:" + stunPort), checks.toString());
    assertEquals("PASS", status(checks, "listen port"), checks.toString());
    assertEquals("PASS", status(checks, "home"), checks.toString());

    PartyCommand.Result text = PartyCommand.run(args);
    assertEquals(0, text.exitCode(), text.stderr());
    assertTrue(text.stdout().lines().anyMatch(l -> l.matches("PASS +control plane +http://127\\.0\\.0\\.1:\\d+ answers in \\d+ ms")),
        text.stdout());
    assertTrue(text.stdout().lines().allMatch(l -> l.startsWith("PASS") || l.startsWith("WARN")
        || l.startsWith(" ") || l.matches("\\d+ checks: \\d+ passed, \\d+ warnings, 0 failed")), text.stdout());
  }

  @Test
  void aDeadServerSilentStunAndAnOpenKeyFailWithFixes() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    Path key = Files.createDirectories(home.resolve("keys")).resolve("private.key");
    Files.writeString(key, "not a real key\n");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    String[] args = {"doctor", "--home", home.toString(), "--network", "embedded", "--server",
        "http://127.0.0.1:" + closedTcpPort(), "--set", "nat.stun-servers=127.0.0.1:" + closedUdpPort(),
        "--set", "nat.turn-server=127.0.0.1:" + closedUdpPort(), "--set", "network.listen-port=0"};

    PartyCommand.Result text = PartyCommand.run(args);
    assertEquals(1, text.exitCode(), text.stdout() + text.stderr());
    assertTrue(text.stdout().lines().anyMatch(l -> l.startsWith("FAIL") && l.contains("control plane")
        && l.contains("does not answer")), text.stdout());
    assertTrue(text.stdout().lines().anyMatch(l -> l.startsWith("FAIL") && l.contains("stun 127.0.0.1:")
        && l.contains("no answer over UDP")), text.stdout());
    assertTrue(text.stdout().lines().anyMatch(l -> l.startsWith("FAIL") && l.contains("private key")
        && l.contains("0644")), text.stdout());
    assertTrue(text.stdout().contains("fix: chmod 600 " + key), text.stdout());
    assertTrue(text.stdout().contains("fix: check the URL, that the server runs"), text.stdout());

    PartyCommand.Result json = PartyCommand.run(append(args, "--json"));
    assertEquals(1, json.exitCode());
    JsonNode report = JSON.readTree(json.stdout());
    assertFalse(report.path("healthy").asBoolean());
    Map<String, JsonNode> checks = byName(report);
    assertEquals("FAIL", status(checks, "control plane"));
    assertEquals("FAIL", status(checks, "nat"), "no STUN answer: the NAT type is unknown");
    assertTrue(checks.keySet().stream().anyMatch(n -> n.startsWith("turn 127.0.0.1:")
        && status(checks, n).equals("FAIL")), checks.keySet().toString());
    assertFalse(checks.get("nat").path("fix").asText().isEmpty());
  }

  /** coturn as a plain STUN server on a free loopback port; answers checked with the doctor's own probe. */
  private int startStunServer() throws Exception {
    Assumptions.assumeTrue(onPath("turnserver"), "needs coturn's turnserver on the PATH");
    int port = closedUdpPort();
    Path config = Files.writeString(dir.resolve("turnserver.conf"), ""); // not /etc/turnserver.conf
    coturn = new ProcessBuilder("turnserver", "-c", config.toString(), "--stun-only", "--listening-ip", "127.0.0.1", "--listening-port",
        Integer.toString(port), "--no-tls", "--no-dtls", "--no-cli", "--userdb", dir.resolve("turndb").toString(),
        "--pidfile", dir.resolve("turnserver.pid").toString(), "--log-file", "stdout")
        .redirectErrorStream(true).redirectOutput(dir.resolve("coturn.log").toFile()).start();
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Eventually.until(WAIT, () -> {
        if (!coturn.isAlive()) {
          throw new AssertionError("turnserver exited: " + log());
        }
        try {
          return StunProbe.bind(socket, new InetSocketAddress("127.0.0.1", port), Duration.ofMillis(200)).isPresent();
        } catch (IOException e) {
          return false;
        }
      }, () -> "coturn to answer STUN on 127.0.0.1:" + port + "; its log:\n" + log());
    }
    return port;
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("coturn.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static Map<String, JsonNode> byName(JsonNode report) {
    Map<String, JsonNode> checks = new HashMap<>();
    report.path("checks").forEach(c -> checks.put(c.path("name").asText(), c));
    return checks;
  }

  private static String status(Map<String, JsonNode> checks, String name) {
    JsonNode check = checks.get(name);
    return check == null ? "missing" : check.path("status").asText();
  }

  private static String[] append(String[] args, String extra) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 1);
    all[args.length] = extra;
    return all;
  }

  private static int closedTcpPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static int closedUdpPort() throws IOException {
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static boolean onPath(String binary) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, binary))) {
        return true;
      }
    }
    return false;
  }
}
