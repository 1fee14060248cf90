package io.partynet.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two members in two JVMs on the embedded backend (WireGuard inside each JVM, no root) form a party
 * through the local control plane, connect directly over loopback, measure each other's latency
 * over the tunnel, and carry datagrams both ways ({@code party say}); {@code party status} shows
 * the link quality (round trip, jitter, loss) and {@code party ping} measures round trips through
 * the tunnel, by name and by virtual IP.
 */
class EmbeddedPartyProcessTest {
  private static final Duration QUICK = Duration.ofSeconds(30);
  private static final Duration MEMBER = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;
  @RegisterExtension final StartedProcesses processes = new StartedProcesses();


  private String[] member(String command, String argument, String name) {
    return new String[] {command, argument, "--home", dir.resolve(name).toString(), "--name", name,
        "--network", "embedded", "--set", "control.local.discovery-file=" + dir.resolve("discovery.json"),
        "--set", "network.listen-port=0", "--set", "embedded.bind-address=127.0.0.1",
        "--set", "network.advertise-address=127.0.0.1"};
  }

  private JsonNode status(String name) throws Exception {
    CliProcess status = CliProcess.run(QUICK, "status", "--json", "--home", dir.resolve(name).toString());
    assertEquals(0, status.exitCode(), status.stderr().toString());
    return JSON.readTree(String.join("\n", status.stdout()));
  }

  /** The other member as {@code name} sees it, once its link is DIRECT with a measured latency. */
  private JsonNode awaitDirectLink(String name) throws Exception {
    long deadline = System.nanoTime() + MEMBER.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = status(name);
      for (JsonNode peer : last.path("peers")) {
        if (!peer.path("self").asBoolean() && peer.path("connectionType").asText().equals("DIRECT")
            && peer.path("latencyMs").isNumber()) {
          return peer;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError(name + " has no measured direct link within " + MEMBER + ": " + last);
  }

  /**
   * {@code name}'s link quality to {@code peer} once a few probes are decided and the loss is below
   * one half: probes that time out while a loaded machine starves the members count as lost, so the
   * window is waited for until it holds mostly answered probes, as it does on loopback.
   */
  private JsonNode awaitMeasuredQuality(String name, String peer) throws Exception {
    long deadline = System.nanoTime() + MEMBER.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      for (JsonNode p : status(name).path("peers")) {
        if (p.path("name").asText().equals(peer)) {
          last = p.path("linkQuality");
          if (last.path("samples").asInt() >= 3 && last.path("loss").asDouble() < 0.5) {
            return last;
          }
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError(name + " measured no link quality to " + peer + " with loss below 0.5 within " + MEMBER
        + " (loopback loses next to nothing): " + last);
  }

  @Test
  void twoEmbeddedMembersConnectAndCarryDatagramsBothWays() throws Exception {
    CliProcess alice = processes.start(member("create", "LAN", "alice"));
    String code = alice.awaitLine(l -> l.startsWith("Invite code: "), MEMBER, "with the invite code")
        .substring("Invite code: ".length());
    CliProcess bob = processes.start(member("join", code, "bob"));
    bob.awaitLine(l -> l.startsWith("You are bob at 10.77.0.2"), MEMBER, "confirming bob's address");

    JsonNode bobSeenByAlice = awaitDirectLink("alice");
    JsonNode aliceSeenByBob = awaitDirectLink("bob");
    assertEquals("10.77.0.2", bobSeenByAlice.path("virtualIp").asText());
    assertEquals("10.77.0.1", aliceSeenByBob.path("virtualIp").asText());
    assertEquals("embedded", status("alice").path("network").asText());
    assertTrue(bobSeenByAlice.path("rxBytes").asLong() > 0, "alice received bytes from bob: " + bobSeenByAlice);

    JsonNode quality = awaitMeasuredQuality("alice", "bob");
    assertTrue(quality.path("rttMs").isNumber() && quality.path("rttMs").asDouble() >= 0, quality.toString());
    assertEquals("DIRECT", quality.path("path").asText());
    CliProcess table = CliProcess.run(QUICK, "status", "--home", dir.resolve("alice").toString());
    assertTrue(table.stdout().stream().anyMatch(l -> l.startsWith("bob") && l.matches(".*\\[[#.]{5}\\] [0-9.]+ ms.*loss.*")),
        "a ping bar for bob: " + table.stdout());

    CliProcess ping = CliProcess.run(QUICK, "ping", "bob", "-c", "2", "--home", dir.resolve("alice").toString());
    assertEquals(0, ping.exitCode(), ping.stderr().toString());
    assertEquals("PING bob (10.77.0.2) through the tunnel, path DIRECT", ping.stdout().get(0));
    assertTrue(ping.stdout().get(1).matches("reply from bob \\(10\\.77\\.0\\.2\\): seq=1 time=[0-9.]+ ms path=DIRECT"),
        ping.stdout().toString());
    assertTrue(ping.stdout().stream().anyMatch(l -> l.startsWith("2 probes sent, 2 answered, 0% loss; round trip")),
        ping.stdout().toString());
    CliProcess byAddress = CliProcess.run(QUICK, "ping", "10.77.0.1", "-c", "1", "--json", "--home",
        dir.resolve("bob").toString());
    assertEquals(0, byAddress.exitCode(), byAddress.stderr().toString());
    JsonNode summary = JSON.readTree(String.join("\n", byAddress.stdout()));
    assertEquals("alice", summary.path("peer").asText());
    assertEquals(1, summary.path("answered").asInt());
    CliProcess nobody = CliProcess.run(QUICK, "ping", "nobody", "--home", dir.resolve("alice").toString());
    assertEquals(3, nobody.exitCode(), nobody.stdout() + " " + nobody.stderr());
    assertTrue(nobody.stderr().get(0).contains("no other member called or at 'nobody'"), nobody.stderr().toString());

    CliProcess doctor = CliProcess.run(QUICK, "doctor", "--json", "--home", dir.resolve("alice").toString(),
        "--network", "embedded", "--set", "network.listen-port=0");
    JsonNode report = JSON.readTree(String.join("\n", doctor.stdout()));
    JsonNode pathToBob = null;
    for (JsonNode check : report.path("checks")) {
      if (check.path("name").asText().equals("path to bob")) {
        pathToBob = check;
      }
    }
    assertTrue(pathToBob != null && pathToBob.path("detail").asText().startsWith("direct"),
        "the doctor explains the running member's path to bob: " + report);

    CliProcess say = CliProcess.run(QUICK, "say", "ping from alice", "--home", dir.resolve("alice").toString());
    assertEquals(0, say.exitCode(), say.stderr().toString());
    assertEquals("sent to 1 member(s)", say.stdout().get(0));
    bob.awaitLine(l -> l.equals("[alice via 10.77.0.1] ping from alice"), QUICK, "with alice's datagram");
    // The longest message (Chat.MAX_TEXT bytes): far more than the 64 bytes the control socket once
    // accepted per request.
    String longReply = "pong from bob " + "x".repeat(Chat.MAX_TEXT - 14);
    CliProcess reply = CliProcess.run(QUICK, "say", longReply, "--home", dir.resolve("bob").toString());
    assertEquals(0, reply.exitCode(), reply.stderr().toString());
    alice.awaitLine(l -> l.equals("[bob via 10.77.0.2] " + longReply), QUICK, "with bob's datagram");

    assertEquals(0, CliProcess.run(QUICK, "leave", "--home", dir.resolve("alice").toString()).exitCode());
    assertEquals(0, alice.awaitExit(MEMBER));
    bob.awaitLine(l -> l.contains("no longer in party") || l.contains("ended"), MEMBER, "seeing the party end");
  }
}
