package io.partynet.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.server.internal.ControlServer;
import io.partynet.testing.Eventually;
import io.partynet.testing.StallingProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping is not leaving (issue 16 items 5, 7, 8): members in child JVMs are stopped with
 * SIGTERM, crashed with SIGKILL right after their party was formed, and stopped while the server
 * has stalled; each keeps its party and resumes it at the next start.
 */
class StopIsNotLeaveProcessTest {
  private static final Duration QUICK = Duration.ofSeconds(30);
  private static final Duration MEMBER = Duration.ofSeconds(45);
  /** Far longer than any test step: only an explicit flush can put the party on disk in time. */
  private static final String SLOW_WRITES = "state.batch-delay=60s";

  @TempDir
  Path dir;
  private final List<AutoCloseable> running = new ArrayList<>();

  @AfterEach
  void stopEverything() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }

  private CliProcess start(String command, String argument, String home, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of(command, argument, "--home", dir.resolve(home).toString(),
        "--name", home, "--network", "off", "--set", "control.local.discovery-file=" + dir.resolve("discovery.json"),
        "--set", SLOW_WRITES));
    args.addAll(List.of(extra));
    CliProcess p = CliProcess.start(args.toArray(String[]::new));
    running.add(p);
    return p;
  }

  private static String inviteCode(CliProcess host) throws InterruptedException {
    return host.awaitLine(l -> l.startsWith("Invite code: "), MEMBER, "with the invite code")
        .substring("Invite code: ".length());
  }

  @Test
  void aMemberKilledRightAfterJoiningResumesItsParty() throws Exception {
    CliProcess alice = start("create", "Crashy", "alice");
    String code = inviteCode(alice);
    CliProcess bob = start("join", code, "bob");
    bob.awaitLine(l -> l.startsWith("You are bob"), MEMBER, "confirming the join");
    bob.kill();
    bob.awaitExit(QUICK);

    CliProcess again = start("join", code, "bob");
    again.awaitLine(l -> l.startsWith("Resuming party " + code), MEMBER, "resuming the party from the flushed state");
  }

  @Test
  void sigtermStopsAndKeepsThePartyForEveryone() throws Exception {
    CliProcess alice = start("create", "Reboot", "alice");
    String code = inviteCode(alice);
    CliProcess bob = start("join", code, "bob");
    alice.awaitLine(l -> l.contains("+ bob joined"), MEMBER, "announcing bob");

    bob.terminate();
    bob.awaitExit(MEMBER);
    assertTrue(bob.stdout().stream().anyMatch(l -> l.contains("stopped; the party is kept")), bob.stdout().toString());
    assertFalse(bob.stderr().stream().anyMatch(l -> l.contains("leaving failed")), bob.stderr().toString());
    CliProcess bobAgain = start("join", code, "bob");
    bobAgain.awaitLine(l -> l.startsWith("Resuming party " + code), MEMBER, "bob resuming after a stop");

    // The host stopping does not end the party: it resumes it, and bob never hears it ended.
    alice.terminate();
    alice.awaitExit(MEMBER);
    CliProcess aliceAgain = start("create", "Reboot", "alice");
    aliceAgain.awaitLine(l -> l.startsWith("Resuming party " + code), MEMBER, "the host resuming after a stop");
    assertEquals(0, CliProcess.run(QUICK, "leave", "--home", dir.resolve("bob").toString()).exitCode());
    aliceAgain.awaitLine(l -> l.contains("- bob left (left)"), MEMBER, "an explicit leave still leaves");
    assertFalse(alice.stdout().stream().anyMatch(l -> l.contains("bob left")), "a stop is not a leave: " + alice.stdout());
    assertFalse(bobAgain.stdout().stream().anyMatch(l -> l.contains("ended")), bobAgain.stdout().toString());
  }

  @Test
  void aStalledServerNeitherBlocksStatusNorHoldsUpSigterm() throws Exception {
    ControlServer server = ControlServer.builder().host("127.0.0.1").port(0).database(dir.resolve("server.db"))
        .build().start();
    running.add(server::close);
    StallingProxy proxy = StallingProxy.to(java.net.URI.create("http://127.0.0.1:" + server.port()));
    running.add(proxy);
    CliProcess alice = start("create", "Stalled", "alice", "--server", proxy.uri().toString(),
        "--set", "party.heartbeat-interval=200ms", "--set", "control.request-timeout=5s");
    inviteCode(alice);

    proxy.stall();
    try {
      Eventually.until(QUICK, () -> proxy.heldRequests() > 0, "a heartbeat is stuck in the stalled server");
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; alice's log: "
          + java.nio.file.Files.readString(dir.resolve("alice").resolve(PartyCli.LOG_FILE)), e);
    }
    CliProcess status = CliProcess.run(QUICK, "status", "--home", dir.resolve("alice").toString());
    assertEquals(0, status.exitCode(), status.stderr().toString());

    long start = System.nanoTime();
    alice.terminate();
    alice.awaitExit(QUICK);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    // Stopping waits for nothing on the network: before, it took 62 s behind piled-up heartbeats.
    assertTrue(took.compareTo(Duration.ofSeconds(15)) < 0, "SIGTERM took " + took);
    assertFalse(alice.stderr().stream().anyMatch(l -> l.contains("leaving failed")), alice.stderr().toString());
  }
}
