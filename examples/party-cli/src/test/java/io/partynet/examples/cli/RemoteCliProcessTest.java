package io.partynet.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.partynet.server.internal.ControlServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code party --server URL}: two members in two processes form a party through the real control plane server on loopback. */
class RemoteCliProcessTest {
  private static final Duration QUICK = Duration.ofSeconds(30);
  private static final Duration MEMBER = Duration.ofSeconds(45);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;
  @RegisterExtension final StartedProcesses processes = new StartedProcesses();

  @Test
  void membersFormAPartyThroughTheServer() throws Exception {
    ControlServer server = processes.stopAfterTest(
        ControlServer.builder().host("127.0.0.1").port(0).database(dir.resolve("server.db")).build().start());
    String url = "http://127.0.0.1:" + server.port();
    CliProcess alice = processes.start("create", "Remote night", "--home", dir.resolve("alice").toString(),
        "--name", "alice", "--network", "off", "--server", url);
    String code = alice.awaitLine(l -> l.startsWith("Invite code: "), MEMBER, "with the invite code")
        .substring("Invite code: ".length());
    CliProcess bob = processes.start("join", code, "--home", dir.resolve("bob").toString(), "--name", "bob",
        "--network", "off", "--server", url);
    bob.awaitLine(l -> l.startsWith("You are bob at 10.77.0.2"), MEMBER, "confirming bob's address");
    alice.awaitLine(l -> l.contains("+ bob joined at 10.77.0.2"), MEMBER, "announcing bob through the server's events");

    for (String home : List.of("alice", "bob")) {
      CliProcess status = CliProcess.run(QUICK, "status", "--json", "--home", dir.resolve(home).toString());
      assertEquals(0, status.exitCode(), status.stderr().toString());
      JsonNode json = JSON.readTree(String.join("\n", status.stdout()));
      assertEquals("remote", json.path("controlPlane").asText(), home + " uses the server");
      Set<String> names = new TreeSet<>();
      json.path("peers").forEach(p -> names.add(p.path("name").asText()));
      assertEquals(Set.of("alice", "bob"), names, home + " sees both");
    }

    CliProcess badUrl = CliProcess.run(QUICK, "create", "x", "--home", dir.resolve("carol").toString(),
        "--server", "ftp://nowhere");
    assertEquals(2, badUrl.exitCode(), badUrl.stderr().toString());
    assertTrue(badUrl.stderr().get(0).contains("--server needs a URL"), badUrl.stderr().toString());

    assertEquals(0, CliProcess.run(QUICK, "leave", "--home", dir.resolve("alice").toString()).exitCode());
    try {
      bob.awaitLine(l -> l.contains("no longer in party") || l.contains("ended"), MEMBER, "seeing the host end the party");
    } catch (AssertionError e) {
      // Seen twice in CI before close() waited for a leave in flight (alice's process ended on her own
      // leave event and cut the request off): her side of the story says why if it comes back.
      throw new AssertionError(e.getMessage() + "; alice's stdout " + alice.stdout() + " stderr " + alice.stderr(), e);
    }
  }
}
