package io.partynet.examples.cli.lab;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.partynet.ConnectionType;
import io.partynet.NatType;
import io.partynet.testing.lab.LabSite;
import io.partynet.testing.lab.NatKind;
import io.partynet.testing.lab.Lab;
import io.partynet.testing.lab.LabException;
import io.partynet.testing.lab.LabTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.function.Executable;

/**
 * party-cli end to end in the NAT lab (issue 7, "The NAT lab test"): coturn, the control plane
 * server on its own public host, and {@code party create}/{@code party join} processes with the
 * uapi backend (wireguard-go) behind open, full cone, port-restricted and symmetric NATs.
 * <ul>
 *   <li>the matrix: every pair of home networks (same-kind pairs on two sites of that kind) forms a
 *       party and pings over the tunnel; the required pairs are DIRECT or RELAY as reported by
 *       {@code party status --json}, and every member's own NatType equals what coturn's
 *       {@code turnutils_natdiscovery} measures for its host;</li>
 *   <li>faults in one three-member party: a NAT rebinding (conntrack flushed), a member killed with
 *       SIGKILL (the others drop it after the stale timeout), the control plane server stopped
 *       (established tunnels keep carrying traffic). Last, since it stops the server.</li>
 * </ul>
 * Each pair has its own two home networks; three pairs run at a time.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@LabTest(needs = {LabTest.Need.NAT, LabTest.Need.WIREGUARD_GO}, tools = {"turnutils_natdiscovery", "ping"})
class NatMatrixLabTest {
  private static final int STALE_SECONDS = 4;
  private static final int PARALLEL_PAIRS = 3;
  private static final Duration MATRIX_DEADLINE = Duration.ofMinutes(4);
  private static final Duration RECOVERY = Duration.ofSeconds(30);
  /** The remote client's WebSocket ping interval (EventStream's connection-lost timeout). */
  private static final int EVENT_STREAM_PING_SECONDS = 30;
  private static PartyLab party;

  @BeforeAll
  static void buildLab() {
    party = PartyLab.start(STALE_SECONDS);
  }

  @AfterAll
  static void tearDown() {
    if (party != null) {
      party.close();
    }
  }

  @Test
  @Order(1)
  void everyPairConnectsOnTheRequiredPathAndDetectsItsNat() throws InterruptedException {
    List<NatPair> pairs = NatPair.all();
    Map<NatPair, LabSite[]> sites = new LinkedHashMap<>();
    for (NatPair pair : pairs) {
      sites.put(pair, new LabSite[] {party.lab().addSite(pair.host()), party.lab().addSite(pair.guest())});
    }
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_PAIRS);
    // turnutils_natdiscovery is a small C program that mostly waits for unanswered tests: all at once.
    ExecutorService natdiscovery = Executors.newFixedThreadPool(sites.size() * 2);
    try {
      Map<LabSite, Future<NatType>> reference = new LinkedHashMap<>();
      for (LabSite[] pairSites : sites.values()) {
        for (LabSite site : pairSites) {
          reference.put(site, natdiscovery.submit(() -> party.natdiscovery(site)));
        }
      }
      Map<NatPair, Future<PairRun.Outcome>> runs = new LinkedHashMap<>();
      int n = 0;
      for (Map.Entry<NatPair, LabSite[]> e : sites.entrySet()) {
        String tag = Integer.toString(++n);
        runs.put(e.getKey(), pool.submit(() -> {
          try {
            return PairRun.run(party, e.getValue()[0], e.getValue()[1], tag);
          } catch (RuntimeException broken) {
            // one broken pair must not hide the others' rows: it is reported and failed below
            return PairRun.Outcome.broken(broken);
          }
        }));
      }
      long deadline = System.nanoTime() + MATRIX_DEADLINE.toNanos();
      StringBuilder table = new StringBuilder(String.format("%n%-36s %-13s %-28s %s%n",
          "pair (creator / joiner)", "path", "join -> first ping", "NAT (status / natdiscovery)"));
      List<Executable> checks = new ArrayList<>();
      for (Map.Entry<NatPair, Future<PairRun.Outcome>> e : runs.entrySet()) {
        NatPair pair = e.getKey();
        PairRun.Outcome o = get(e.getValue(), deadline, pair.toString());
        LabSite[] pairSites = sites.get(pair);
        NatType hostReference = get(reference.get(pairSites[0]), deadline, "natdiscovery " + pairSites[0]);
        NatType guestReference = get(reference.get(pairSites[1]), deadline, "natdiscovery " + pairSites[1]);
        table.append(String.format("%-36s %-13s %-28s %s / %s, %s / %s%n", pair, o.connected() ? o.path() : "FAILED",
            o.firstPingMs() >= 0 ? o.firstPingMs() + " ms" : "no ping in " + PairRun.FIRST_PING.toSeconds() + " s",
            o.hostNat(), hostReference, o.guestNat(), guestReference));
        checks.add(() -> assertTrue(o.connected(), pair + ": ping through the tunnel, both ways\n" + o.detail()));
        checks.add(() -> assertEquals(hostReference, o.hostNat(), pair + ": creator's NatType vs turnutils_natdiscovery"));
        checks.add(() -> assertEquals(guestReference, o.guestNat(), pair + ": joiner's NatType vs turnutils_natdiscovery"));
        pair.requiredPath().ifPresent(required -> checks.add(() -> {
          assertEquals(required, o.hostSees(), pair + ": the creator's path to the joiner\n" + o.detail());
          assertEquals(required, o.guestSees(), pair + ": the joiner's path to the creator\n" + o.detail());
        }));
      }
      System.out.println(table);
      assertAll(checks);
    } finally {
      natdiscovery.shutdownNow();
      pool.shutdownNow();
      pool.awaitTermination(30, TimeUnit.SECONDS);
      natdiscovery.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(2)
  void linksSurviveRebindingACrashAndTheControlPlaneStopping() {
    LabSite restrictedSite = party.lab().addSite(NatKind.PORT_RESTRICTED_CONE);
    LabSite coneSite = party.lab().addSite(NatKind.FULL_CONE);
    LabSite symmetricSite = party.lab().addSite(NatKind.SYMMETRIC);
    try (LabMember host = party.create(restrictedSite, "faults-host");
        LabMember cone = party.join(coneSite, "faults-cone", host.inviteCode());
        LabMember symmetric = party.join(symmetricSite, "faults-symmetric", host.inviteCode())) {
      assertTrue(party.ping(cone, host.virtualIp(), PairRun.FIRST_PING), "cone -> host before the faults");
      assertTrue(party.ping(symmetric, host.virtualIp(), PairRun.FIRST_PING), "symmetric -> host before the faults");
      assertTrue(party.ping(symmetric, cone.virtualIp(), PairRun.FIRST_PING), "symmetric -> cone before the faults");

      // A NAT rebinding: the host's router forgets every mapping. Pinged from outside, so only the
      // host's own traffic (keepalives, latency probes, TURN refreshes) can open the way back in.
      party.lab().flushConntrack(restrictedSite);
      long flushed = System.nanoTime();
      assertTrue(party.ping(cone, host.virtualIp(), RECOVERY),
          "the direct link cone -> host comes back after the host's NAT forgot it\n" + host.log());
      long directBack = (System.nanoTime() - flushed) / 1_000_000;
      assertTrue(party.ping(symmetric, host.virtualIp(), RECOVERY),
          "the relayed link symmetric -> host comes back after the host's NAT forgot it\n" + host.log());
      long relayBack = (System.nanoTime() - flushed) / 1_000_000;
      System.out.printf("conntrack flushed on the host's router: direct link back after %d ms, relayed after %d ms%n",
          directBack, relayBack);

      // A crash: no leave; the server drops it after the stale timeout and tells the others.
      symmetric.kill();
      long killed = System.nanoTime();
      // The host's router forgot its WebSocket to the server too (the flush above): the server's
      // events reach the host again only once the host sends on it (the WebSocket ping, every 30 s,
      // re-creates the mapping) and the server's next TCP retransmission (backed off meanwhile) comes.
      Duration gone = Duration.ofSeconds(STALE_SECONDS + 20 + 2 * EVENT_STREAM_PING_SECONDS);
      for (LabMember survivor : List.of(host, cone)) {
        try {
          Lab.await(survivor + " to drop the killed member", gone,
              () -> survivor.peer(survivor.status(), symmetric.name()).isEmpty());
        } catch (LabException e) {
          throw new AssertionError(e.getMessage() + "\n---- " + survivor + " log ----\n" + survivor.log(), e);
        }
      }
      for (LabMember survivor : List.of(host, cone)) {
        survivor.awaitLine(l -> l.endsWith("- " + symmetric.name() + " left (stale)"), gone);
      }
      System.out.printf("SIGKILLed member dropped as stale by both others after %d ms (stale timeout %d s)%n",
          (System.nanoTime() - killed) / 1_000_000, STALE_SECONDS);
      JsonNode hostStatus = host.status();
      assertTrue(host.peer(hostStatus, cone.name()).isPresent(), "the live member stays: " + hostStatus);

      // The control plane goes away: the tunnels are WireGuard's, they keep carrying traffic.
      party.stopServer();
      long stopped = System.nanoTime();
      Duration window = Duration.ofSeconds(STALE_SECONDS + 4);
      int rounds = 0;
      while (System.nanoTime() - stopped < window.toNanos()) {
        assertTrue(party.ping(cone, host.virtualIp(), Duration.ofSeconds(3)),
            "cone -> host with the control plane server stopped, round " + rounds + "\n" + cone.log());
        assertTrue(party.ping(host, cone.virtualIp(), Duration.ofSeconds(3)),
            "host -> cone with the control plane server stopped, round " + rounds + "\n" + host.log());
        rounds++;
        sleepQuietly(Duration.ofMillis(500));
      }
      assertTrue(host.isAlive() && cone.isAlive(), "both members keep running without the server");
      assertTrue(rounds >= 2, "pinged at least twice while the server was down, got " + rounds);
      System.out.printf("control plane server stopped: %d ping rounds both ways over %d s, all answered%n", rounds,
          window.toSeconds());
    }
  }

  /**
   * Paces the ping rounds while the server is down, so the window holds a few rounds rather than
   * hundreds of process starts; what is checked is every ping's answer, not the pause.
   */
  private static void sleepQuietly(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static <T> T get(Future<T> future, long deadlineNanos, String what) throws InterruptedException {
    try {
      return future.get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError(what + " did not finish within the matrix deadline " + MATRIX_DEADLINE);
    }
  }
}
