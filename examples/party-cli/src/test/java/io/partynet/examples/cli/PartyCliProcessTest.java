package io.partynet.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.partynet.InviteCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code party} as real processes: bad input, and two members forming a party through the local control plane. */
class PartyCliProcessTest {
  private static final Duration QUICK = Duration.ofSeconds(30);
  private static final Duration MEMBER = Duration.ofSeconds(45);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;
  @RegisterExtension final StartedProcesses processes = new StartedProcesses();


  /** Options that keep a member's files (and the shared discovery file) inside this test's directory. */
  private String[] member(String command, String argument, String home, String... extra) {
    return StartedProcesses.localMember(dir, command, argument, home, extra);
  }

  private String log(String home) {
    try {
      return Files.readString(dir.resolve(home).resolve(PartyCli.LOG_FILE));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static void assertOneLineError(CliProcess p) {
    assertEquals(1, p.stderr().size(), () -> "one line of error, got " + p.stderr());
    assertTrue(p.stderr().get(0).startsWith("party: "), p.stderr().get(0));
    assertFalse(String.join("\n", p.stderr()).contains("Exception"), "no stack trace: " + p.stderr());
  }

  @Test
  void helpForEveryCommand() throws Exception {
    CliProcess top = CliProcess.run(QUICK, "--help");
    assertEquals(0, top.exitCode());
    assertTrue(top.stdout().get(0).startsWith("usage: party COMMAND"), top.stdout().toString());
    CliProcess join = CliProcess.run(QUICK, "join", "--help");
    assertEquals(0, join.exitCode());
    assertTrue(join.stdout().get(0).startsWith("usage: party join CODE --name"), join.stdout().toString());
  }

  @Test
  void badInputGetsOneLineAndTheDocumentedExitCode() throws Exception {
    CliProcess unknown = CliProcess.run(QUICK, "dance");
    assertEquals(2, unknown.exitCode());
    assertOneLineError(unknown);

    CliProcess malformed = CliProcess.run(QUICK, member("join", "NOT-A-CODE!", "bob", "--name", "bob"));
    assertEquals(3, malformed.exitCode(), malformed.stderr().toString());
    assertOneLineError(malformed);

    String unused = InviteCode.generate(new Random(5));
    CliProcess absent = CliProcess.run(QUICK, member("join", unused, "bob", "--name", "bob"));
    assertEquals(3, absent.exitCode(), absent.stderr().toString());
    assertOneLineError(absent);
    assertTrue(absent.stderr().get(0).contains(unused), absent.stderr().get(0));

    CliProcess noMember = CliProcess.run(QUICK, "status", "--home", dir.resolve("nobody").toString());
    assertEquals(3, noMember.exitCode());
    assertOneLineError(noMember);

    CliProcess badSetting = CliProcess.run(QUICK, member("create", "lan", "carol", "--set", "party.max-size=many"));
    assertEquals(2, badSetting.exitCode(), badSetting.stderr().toString());
    assertOneLineError(badSetting);
  }

  @Test
  void anUnknownNetworkBackendIsUnavailableAndSaysWhatExists() throws Exception {
    CliProcess p = CliProcess.run(QUICK, "create", "lan", "--home", dir.resolve("erin").toString(),
        "--network", "nosuch", "--set", "control.local.discovery-file=" + dir.resolve("discovery.json"));
    assertEquals(4, p.exitCode(), p.stderr().toString());
    assertOneLineError(p);
    assertTrue(p.stderr().get(0).contains("network.backend=nosuch"), p.stderr().get(0));
  }

  @Test
  void twoMembersFormAPartyAndEachSeesTheOther() throws Exception {
    CliProcess alice = processes.start(member("create", "Friday", "alice", "--name", "alice"));
    String code = alice.awaitLine(l -> l.startsWith("Invite code: "), MEMBER, "with the invite code")
        .substring("Invite code: ".length());
    assertTrue(InviteCode.isValid(code), code);

    CliProcess twin = CliProcess.run(QUICK, member("create", "Other", "alice", "--name", "alice2"));
    assertEquals(1, twin.exitCode(), "a second member on the same home is refused");
    assertOneLineError(twin);
    assertTrue(twin.stderr().get(0).contains("already running"), twin.stderr().get(0));

    CliProcess bob = processes.start(member("join", code.toLowerCase(), "bob", "--name", "bob"));
    bob.awaitLine(l -> l.startsWith("You are bob at 10.77.0.2"), MEMBER, "confirming bob's address");
    alice.awaitLine(l -> l.contains("+ bob joined at 10.77.0.2"), MEMBER, "announcing bob");

    for (String home : List.of("alice", "bob")) {
      CliProcess status = CliProcess.run(QUICK, "status", "--json", "--home", dir.resolve(home).toString());
      assertEquals(0, status.exitCode(), status.stderr().toString());
      JsonNode json = JSON.readTree(String.join("\n", status.stdout()));
      assertEquals(code, json.path("partyId").asText());
      assertEquals("off", json.path("network").asText());
      Set<String> names = new TreeSet<>();
      json.path("peers").forEach(p -> names.add(p.path("name").asText() + "@" + p.path("virtualIp").asText()));
      assertEquals(Set.of("alice@10.77.0.1", "bob@10.77.0.2"), names, home + " sees both");
    }
    CliProcess table = CliProcess.run(QUICK, "status", "--home", dir.resolve("alice").toString());
    assertEquals(0, table.exitCode());
    assertTrue(table.stdout().get(1).startsWith("PEER"), table.stdout().toString());
    assertTrue(table.stdout().stream().anyMatch(l -> l.startsWith("bob ") && l.contains("10.77.0.2")),
        table.stdout().toString());

    CliProcess leave = CliProcess.run(QUICK, "leave", "--home", dir.resolve("bob").toString());
    assertEquals(0, leave.exitCode(), leave.stderr().toString());
    assertEquals(0, bob.awaitExit(MEMBER), "bob's member exits after leaving");
    alice.awaitLine(l -> l.contains("- bob left (left)"), MEMBER, "announcing bob's departure");

    alice.terminate();
    alice.awaitExit(MEMBER);
    assertTrue(alice.stdout().stream().anyMatch(l -> l.contains("stopped; the party is kept")),
        () -> "the host stops on SIGTERM, keeping its party; exit " + alice.exitCode() + ", stdout " + alice.stdout()
            + ", stderr " + alice.stderr() + ", log " + log("alice"));
    CliProcess gone = CliProcess.run(QUICK, "status", "--home", dir.resolve("alice").toString());
    assertEquals(3, gone.exitCode(), "nothing runs in alice's home any more");
  }
}
