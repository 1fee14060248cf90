package io.partynet.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code party invite} as real processes on the local control plane: the host issues a one-use
 * code, a friend joins with it, the next one hears "used up"; the host revokes the party id and a
 * stranger holding it hears "revoked"; a member that is not the host cannot issue codes.
 */
class InviteCliProcessTest {
  private static final Duration QUICK = Duration.ofSeconds(30);
  private static final Duration MEMBER = Duration.ofSeconds(45);
  private static final Pattern ISSUED = Pattern.compile("invite code (\\S+) \\(expires \\S+, 1 use\\(s\\)\\)");

  @TempDir Path dir;
  @RegisterExtension final StartedProcesses processes = new StartedProcesses();


  private String[] member(String command, String argument, String home, String... extra) {
    return StartedProcesses.localMember(dir, command, argument, home, extra);
  }

  private CliProcess invite(String home, String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of("invite", "--home", dir.resolve(home).toString()));
    args.addAll(List.of(options));
    return CliProcess.run(QUICK, args.toArray(String[]::new));
  }

  @Test
  void theHostIssuesAndRevokesCodesAndOldCodesAreRefusedWithTheReason() throws Exception {
    CliProcess alice = processes.start(member("create", "Friday", "alice", "--name", "alice"));
    String partyId = alice.awaitLine(l -> l.startsWith("Invite code: "), MEMBER, "with the party id")
        .substring("Invite code: ".length());

    CliProcess issued = invite("alice", "--ttl", "1h", "--uses", "1");
    assertEquals(0, issued.exitCode(), issued.stderr().toString());
    Matcher m = ISSUED.matcher(issued.stdout().get(0));
    assertTrue(m.matches(), issued.stdout().toString());
    String code = m.group(1);

    CliProcess bob = processes.start(member("join", code, "bob", "--name", "bob"));
    bob.awaitLine(l -> l.startsWith("You are bob at 10.77.0.2"), MEMBER, "bob in through the invite");

    CliProcess carol = CliProcess.run(MEMBER, member("join", code, "carol", "--name", "carol"));
    assertEquals(3, carol.exitCode(), carol.stderr().toString());
    assertTrue(carol.stderr().get(0).contains("used up"), carol.stderr().toString());

    CliProcess notHost = invite("bob");
    assertEquals(1, notHost.exitCode(), notHost.stderr().toString());
    assertTrue(notHost.stderr().get(0).contains("host"), notHost.stderr().toString());

    CliProcess revoked = invite("alice", "--revoke", partyId.toLowerCase());
    assertEquals(0, revoked.exitCode(), revoked.stderr().toString());
    assertTrue(revoked.stdout().get(0).startsWith("revoked invite code " + partyId), revoked.stdout().toString());
    CliProcess dave = CliProcess.run(MEMBER, member("join", partyId, "dave", "--name", "dave"));
    assertEquals(3, dave.exitCode(), dave.stderr().toString());
    assertTrue(dave.stderr().get(0).contains("revoked"), dave.stderr().toString());

    CliProcess badTtl = invite("alice", "--ttl", "soon");
    assertEquals(2, badTtl.exitCode(), badTtl.stderr().toString());
    CliProcess mixed = invite("alice", "--revoke", code, "--uses", "2");
    assertEquals(2, mixed.exitCode(), mixed.stderr().toString());
  }
}
