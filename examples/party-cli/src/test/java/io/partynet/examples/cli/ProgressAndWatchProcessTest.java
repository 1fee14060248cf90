package io.partynet.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person sees in the terminals: {@code create} and {@code join} print their progress
 * (NAT, registering, connecting to each member, and whether the path is direct or relayed), and
 * {@code status --watch} keeps showing the party (plain lines here: its output is a pipe) until
 * the member stops. Two embedded members on loopback; about 15 s.
 */
class ProgressAndWatchProcessTest {
  private static final Duration MEMBER = Duration.ofSeconds(60);

  @TempDir
  Path dir;
  private final List<CliProcess> running = new ArrayList<>();

  @AfterEach
  void stopEverything() {
    running.forEach(CliProcess::close);
  }

  private CliProcess start(String... args) throws Exception {
    CliProcess p = CliProcess.start(args);
    running.add(p);
    return p;
  }

  private String[] member(String command, String argument, String name) {
    return new String[] {command, argument, "--home", dir.resolve(name).toString(), "--name", name,
        "--network", "embedded", "--set", "control.local.discovery-file=" + dir.resolve("discovery.json"),
        "--set", "network.listen-port=0", "--set", "embedded.bind-address=127.0.0.1",
        "--set", "network.advertise-address=127.0.0.1"};
  }

  @Test
  void joinPrintsItsProgressAndWatchFollowsTheParty() throws Exception {
    CliProcess alice = start(member("create", "LAN", "alice"));
    alice.awaitLine(l -> l.endsWith(" starting: network embedded, control plane local"), MEMBER, "announcing the start");
    alice.awaitLine(l -> l.endsWith(" no STUN server configured: the NAT type stays UNKNOWN"), MEMBER, "about NAT");
    alice.awaitLine(l -> l.endsWith(" registering with the local control plane: creating party 'LAN'"), MEMBER,
        "registering");
    alice.awaitLine(l -> l.endsWith(" NAT type: UNKNOWN"), MEMBER, "with the NAT type found");
    String code = alice.awaitLine(l -> l.startsWith("Invite code: "), MEMBER, "with the invite code")
        .substring("Invite code: ".length());

    CliProcess watch = start("status", "--watch", "--home", dir.resolve("alice").toString());
    watch.awaitLine(l -> l.matches("-- \\d\\d:\\d\\d:\\d\\d"), MEMBER, "a time-stamped table");
    watch.awaitLine(l -> l.startsWith("alice (you) (host)"), MEMBER, "alice in the watched table");

    CliProcess bob = start(member("join", code, "bob"));
    bob.awaitLine(l -> l.endsWith("registering with the local control plane: joining party " + code), MEMBER,
        "registering");
    // When the path comes up before the join returns, it is announced at once without "connecting".
    bob.awaitLine(l -> l.endsWith("connecting to alice at 10.77.0.1\u2026")
        || l.contains(" = connected to alice: direct to 127.0.0.1:"), MEMBER, "connecting to alice");
    bob.awaitLine(l -> l.contains(" = connected to alice: direct to 127.0.0.1:"), MEMBER, "the direct path to alice");
    alice.awaitLine(l -> l.contains(" + bob joined at 10.77.0.2"), MEMBER, "bob joining");
    alice.awaitLine(l -> l.contains(" = connected to bob: direct"), MEMBER, "the direct path to bob");
    watch.awaitLine(l -> l.startsWith("bob ") && l.contains("10.77.0.2") && l.contains("DIRECT"), MEMBER,
        "bob, direct, in the watched table");
    assertTrue(watch.stdout().stream().noneMatch(l -> l.contains("\u001b")), "no escape codes in a pipe");

    assertEquals(0, CliProcess.run(MEMBER, "leave", "--home", dir.resolve("alice").toString()).exitCode());
    watch.awaitLine(l -> l.equals("the member left its party or stopped"), MEMBER, "noticing that alice left");
    assertEquals(0, watch.awaitExit(MEMBER), "watching ends cleanly when the member stops: " + watch.stdout());
    bob.awaitLine(l -> l.contains("ended") || l.contains("no longer in party"), MEMBER, "seeing the party end");
  }
}
