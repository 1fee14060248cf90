package io.partynet.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandLineTest {

  @Test
  void createTakesANameAndOptionsInEitherForm() throws CliException {
    CommandLine c = CommandLine.parse(new String[] {"create", "Friday night", "--home", "/tmp/a", "--network=off",
        "--set", "party.max-size=4", "--set=peer.name=alice"});
    assertEquals("create", c.command());
    assertEquals(List.of("Friday night"), c.arguments());
    assertEquals(Path.of("/tmp/a"), c.home());
    assertEquals(Map.of("party.max-size", "4", "peer.name", "alice", "network.backend", "off"), c.overrides());
    assertFalse(c.help());
  }

  @Test
  void joinNeedsACodeAndAName() throws CliException {
    CommandLine c = CommandLine.parse(new String[] {"join", "7KQ2-M9XD-4RTX", "--name", "bob"});
    assertEquals("bob", c.name());
    assertEquals("bob", c.overrides().get("peer.name"));
    CliException e = assertThrows(CliException.class, () -> CommandLine.parse(new String[] {"join", "7KQ2"}));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("--name"), e.getMessage());
  }

  @Test
  void serverSelectsTheRemoteControlPlane() throws CliException {
    CommandLine c = CommandLine.parse(new String[] {"join", "7KQ2-M9XD-4RTX", "--name", "bob", "--server",
        "http://192.0.2.10:8080"});
    assertEquals("remote", c.overrides().get("control.mode"));
    assertEquals("http://192.0.2.10:8080", c.overrides().get("control.server-url"));
    CliException e = assertThrows(CliException.class,
        () -> CommandLine.parse(new String[] {"create", "a", "--server", "ftp://x"}));
    assertEquals(ExitCode.USAGE, e.exitCode());
  }

  @Test
  void pingTakesAPeerAndACountAndDoctorTheMemberOptions() throws CliException {
    CommandLine ping = CommandLine.parse(new String[] {"ping", "bob", "-c", "3", "--json"});
    assertEquals(List.of("bob"), ping.arguments());
    assertEquals(3, ping.count());
    assertTrue(ping.json());
    assertEquals(5, CommandLine.parse(new String[] {"ping", "10.77.0.2", "--count=5"}).count());
    assertEquals(0, CommandLine.parse(new String[] {"ping", "bob"}).count(), "0: the command's default");
    for (String[] bad : new String[][] {{"ping"}, {"ping", "bob", "-c", "0"}, {"ping", "bob", "-c", "101"},
        {"ping", "bob", "-c", "x"}, {"ping", "bob", "--watch"}, {"doctor", "extra"}, {"doctor", "-c", "2"}}) {
      assertEquals(ExitCode.USAGE, assertThrows(CliException.class, () -> CommandLine.parse(bad),
          String.join(" ", bad)).exitCode());
    }
    CommandLine doctor = CommandLine.parse(new String[] {"doctor", "--json", "--server", "http://192.0.2.10:8080",
        "--network", "embedded", "--set", "nat.stun-servers=192.0.2.1:3478"});
    assertEquals("remote", doctor.overrides().get("control.mode"));
    assertEquals("embedded", doctor.overrides().get("network.backend"));
    assertTrue(doctor.json());
  }

  @Test
  void wrongInputIsAUsageErrorWithAHint() {
    String[][] bad = {
        {"dance"},
        {"create"},
        {"create", "a", "b"},
        {"status", "--name", "x"},
        {"leave", "extra"},
        {"create", "a", "--home"},
        {"create", "a", "--set", "novalue"},
    };
    for (String[] args : bad) {
      CliException e = assertThrows(CliException.class, () -> CommandLine.parse(args), String.join(" ", args));
      assertEquals(ExitCode.USAGE, e.exitCode(), String.join(" ", args));
      assertTrue(e.getMessage().contains("--help") || e.getMessage().contains("KEY=VALUE"), e.getMessage());
    }
  }

  @Test
  void helpIsAvailableEverywhere() throws CliException {
    assertTrue(CommandLine.parse(new String[] {}).help());
    assertTrue(CommandLine.parse(new String[] {"--help"}).help());
    CommandLine join = CommandLine.parse(new String[] {"join", "--help"});
    assertTrue(join.help());
    assertEquals("join", join.command());
    assertTrue(CommandLine.parse(new String[] {"status", "-h"}).help());
  }

  @Test
  void statusTakesJsonAndDefaultHomeIsInTheUsersHome() throws CliException {
    CommandLine c = CommandLine.parse(new String[] {"status", "--json"});
    assertTrue(c.json());
    assertEquals(Path.of(System.getProperty("user.home"), ".partynet"), c.home());
  }

  @Test
  void aSecretOnTheCommandLineIsRefusedWithThePointerToTheFileOrTheEnvironment() {
    CliException e = assertThrows(CliException.class, () -> CommandLine.parse(new String[] {"create", "a", "--set",
        "nat.turn-password=hunter2"}, Map.of()));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("--set-file nat.turn-password=FILE")
        && e.getMessage().contains("PARTYNET_NAT_TURN_PASSWORD"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), "the refusal does not repeat the secret");
  }

  @Test
  void secretsComeFromAFileOrTheEnvironmentAndAreNotShown(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path file = java.nio.file.Files.writeString(dir.resolve("turn.pass"), "from-file-9\n");
    CommandLine fromFile = CommandLine.parse(new String[] {"create", "a", "--set-file",
        "nat.turn-password=" + file}, Map.of());
    assertEquals("from-file-9", fromFile.overrides().get("nat.turn-password"));
    assertFalse(fromFile.toString().contains("from-file-9"), fromFile.toString());

    CommandLine fromEnvironment = CommandLine.parse(new String[] {"join", "7KQ2-M9XD-4RTA", "--name", "bob"},
        Map.of("PARTYNET_NAT_TURN_PASSWORD", "from-env-3"));
    assertEquals("from-env-3", fromEnvironment.overrides().get("nat.turn-password"));

    CliException missing = assertThrows(CliException.class, () -> CommandLine.parse(new String[] {"create", "a",
        "--set-file", "nat.turn-password=" + dir.resolve("absent")}, Map.of()));
    assertTrue(missing.getMessage().contains("absent"), missing.getMessage());
  }

  @Test
  void inviteTakesItsLimitsOrACodeToRevoke() throws CliException {
    CommandLine issue = CommandLine.parse(new String[] {"invite", "--ttl", "1h", "--uses=3"}, Map.of());
    assertEquals("invite 3600 3", InviteRequests.request(issue));
    assertEquals("invite - 0", InviteRequests.request(CommandLine.parse(new String[] {"invite"}, Map.of())));
    CommandLine revoke = CommandLine.parse(new String[] {"invite", "--revoke", "7kq2 m9xd 4rtx"}, Map.of());
    assertEquals("revoke-invite 7KQ2-M9XD-4RTX", InviteRequests.request(revoke));
    for (String[] bad : new String[][] {{"invite", "--ttl", "31d"}, {"invite", "--uses", "0"},
        {"invite", "--revoke", "nope"}, {"invite", "--ttl", "1h", "--revoke", "7KQ2-M9XD-4RTX"}}) {
      assertThrows(CliException.class, () -> InviteRequests.request(CommandLine.parse(bad, Map.of())),
          String.join(" ", bad));
    }
  }
}
