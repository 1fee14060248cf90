package io.partynet.core.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Endpoint;
import io.partynet.NatType;
import io.partynet.testing.lab.LabProcess;
import io.partynet.testing.lab.LabSite;
import io.partynet.testing.lab.NatKind;
import io.partynet.testing.lab.Lab;
import io.partynet.testing.lab.LabTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The connection manager end to end in the NAT lab: two members, each a child JVM
 * ({@link ConnectionAgentMain}) in its own home network driving a real wireguard-go interface
 * through a {@link ConnectionManager} whose relay is a {@code TurnRelay} against the lab's coturn.
 * This test is their control plane: it carries "punch" and "relay-candidate" signals between their
 * stdout and stdin.
 * <ul>
 *   <li>symmetric with port-restricted (no direct path, see {@code DirectPathLabTest}): both
 *       managers report RELAY and a ping crosses the tunnel through the two allocations;</li>
 *   <li>port-restricted with port-restricted: the coordinated punch connects, both report DIRECT,
 *       and the relay is never touched (no allocation, no relay-candidate signal);</li>
 *   <li>the same pair with the direct path blocked by a router's firewall: it comes up on the relay,
 *       moves to the direct path once the block is lifted (same WireGuard session), and back to the
 *       relay when the block returns ({@link PathUpgrade}).</li>
 * </ul>
 */
@LabTest(needs = {LabTest.Need.NAT, LabTest.Need.WIREGUARD_GO})
class RelayPathLabTest {
  private static final Duration STEP = Duration.ofSeconds(30);
  private static final int PORT = 51820;
  /** What ConnectionManager logs when a check of the direct path fails. */
  private static final String FAILED_CHECK = "did not answer; staying on the relay";
  private static Lab lab;

  @BeforeAll
  static void buildLab() {
    lab = Lab.withInternet();
  }

  @AfterAll
  static void tearDown() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void symmetricAndPortRestrictedConnectThroughTheTurnRelay() {
    Member a = new Member("a", lab.addSite(NatKind.SYMMETRIC), "10.77.1.1");
    Member b = new Member("b", lab.addSite(NatKind.PORT_RESTRICTED_CONE), "10.77.1.2");
    try (ControlPlane control = new ControlPlane(a, b)) {
      assertEquals(NatType.SYMMETRIC, a.natType);
      assertEquals(NatType.PORT_RESTRICTED_CONE, b.natType);
      long start = System.nanoTime();
      connect(a, b, "RELAY");
      long connected = (System.nanoTime() - start) / 1_000_000;
      awaitPing(a, b, "a ping from a to b over the relayed tunnel");
      System.out.println("symmetric <-> port-restricted: both report RELAY after " + connected + " ms");

      assertTrue(control.count("a", "relay-candidate") >= 1, "b was sent a's relayed address");
      assertTrue(control.count("b", "relay-candidate") >= 1, "a was sent b's relayed address");
      assertEquals(0, control.count("a", "punch") + control.count("b", "punch"), "the pair's plan is the relay alone");
      for (Member m : List.of(a, b)) {
        String endpoint = m.wireGuardEndpoint();
        assertTrue(endpoint.startsWith("127.0.0.1:"), m.id + "'s WireGuard sends to its relay forwarder: " + endpoint);
        assertTrue(m.status(m == a ? "b" : "a").matches("RELAY relay=203\\.0\\.113\\.1:\\d+"), m.id + " status");
      }
    } finally {
      a.close();
      b.close();
    }
  }

  @Test
  void portRestrictedPairPunchesAndNeverTouchesTheRelay() {
    Member a = new Member("a", lab.addSite(NatKind.PORT_RESTRICTED_CONE), "10.77.2.1");
    Member b = new Member("b", lab.addSite(NatKind.PORT_RESTRICTED_CONE), "10.77.2.2");
    try (ControlPlane control = new ControlPlane(a, b)) {
      assertEquals(NatType.PORT_RESTRICTED_CONE, a.natType);
      assertEquals(NatType.PORT_RESTRICTED_CONE, b.natType);
      connect(a, b, "DIRECT");
      awaitPing(a, b, "a ping from a to b over the punched tunnel");

      assertTrue(control.count("a", "punch") >= 1 && control.count("b", "punch") >= 1, "both asked to punch");
      assertEquals(0, control.count("a", "relay-candidate") + control.count("b", "relay-candidate"));
      assertEquals("DIRECT relay=none", a.status("b"), "no TURN allocation was made");
      assertEquals("DIRECT relay=none", b.status("a"), "no TURN allocation was made");
      assertEquals(b.site.publicAddress(), Endpoint.parse(a.wireGuardEndpoint()).host(), "WireGuard talks to b's router");
    } finally {
      a.close();
      b.close();
    }
  }

  @Test
  void aRelayedPairMovesToTheDirectPathWhenItOpensAndBackWhenItCloses() {
    Member a = new Member("a", lab.addSite(NatKind.PORT_RESTRICTED_CONE), "10.77.3.1");
    Member b = new Member("b", lab.addSite(NatKind.PORT_RESTRICTED_CONE), "10.77.3.2");
    String[] block = {"-s", b.site.publicAddress(), "-j", "DROP"};
    String[] blockBack = {"-d", b.site.publicAddress(), "-j", "DROP"};
    firewall(a, "-I", block);
    firewall(a, "-I", blockBack);
    try (ControlPlane control = new ControlPlane(a, b)) {
      connect(a, b, "RELAY");
      awaitPing(a, b, "a ping from a to b over the relay");
      Lab.await("a check of the blocked direct path that fails", STEP,
          () -> a.agent.output().contains(FAILED_CHECK) || b.agent.output().contains(FAILED_CHECK));
      awaitPing(a, b, "a ping from a to b over the relay after the failed check");
      String session = a.latestHandshake();

      firewall(a, "-D", block);
      firewall(a, "-D", blockBack);
      long lifted = System.nanoTime();
      a.agent.awaitLine("CONNECTION b DIRECT"::equals, STEP);
      b.agent.awaitLine("CONNECTION a DIRECT"::equals, STEP);
      System.out.println("both moved to the direct path " + (System.nanoTime() - lifted) / 1_000_000
          + " ms after the block was lifted");
      assertEquals(b.site.publicAddress(), Endpoint.parse(a.wireGuardEndpoint()).host(), "a's WireGuard talks to b's router");
      assertEquals(a.site.publicAddress(), Endpoint.parse(b.wireGuardEndpoint()).host(), "b's WireGuard talks to a's router");
      assertTrue(a.nextStatus("b").startsWith("DIRECT relay=203.0.113.1:"), "status shows the direct path, relay still allocated");
      awaitPing(a, b, "a ping from a to b over the direct path");
      assertEquals(session, a.latestHandshake(), "the move kept the WireGuard session: no new handshake");

      int relayedBefore = a.count("CONNECTION b RELAY");
      firewall(a, "-I", block);
      firewall(a, "-I", blockBack);
      long blocked = System.nanoTime();
      Lab.await("a back on the relay", STEP, () -> a.count("CONNECTION b RELAY") > relayedBefore);
      System.out.println("a went back to the relay " + (System.nanoTime() - blocked) / 1_000_000
          + " ms after the block returned");
      awaitPing(a, b, "a ping from a to b over the relay again");
      assertTrue(a.nextStatus("b").startsWith("RELAY relay="), "status shows the relay again");
    } finally {
      a.close();
      b.close();
    }
  }

  /** Tells each member about the other and waits until both report {@code connectionType}. */
  private static void connect(Member a, Member b, String connectionType) {
    a.track(b);
    b.track(a);
    a.agent.awaitLine(("CONNECTION " + b.id + " " + connectionType)::equals, STEP);
    b.agent.awaitLine(("CONNECTION " + a.id + " " + connectionType)::equals, STEP);
  }

  /** Waits until a ping from {@code from} to {@code to}'s virtual address is answered through the tunnel. */
  private static void awaitPing(Member from, Member to, String what) {
    Lab.await(what, STEP, () -> lab.run(from.site.hostNamespace(), "ping", "-c", "1", "-W", "1", to.virtualIp).ok());
  }

  /** Adds ({@code -I}) or removes ({@code -D}) a rule of the FORWARD chain of {@code m}'s router. */
  private static void firewall(Member m, String op, String... rule) {
    List<String> command = new ArrayList<>(List.of("iptables", op, "FORWARD"));
    command.addAll(List.of(rule));
    lab.run(m.site.routerNamespace(), command.toArray(String[]::new)).orThrow();
  }

  /** One member: a wireguard-go interface and the agent JVM that manages it. */
  private static final class Member implements AutoCloseable {
    final String id;
    final LabSite site;
    final String virtualIp;
    final String ifName;
    final String publicKey;
    final LabProcess agent;
    final NatType natType;
    final String mapped;

    Member(String id, LabSite site, String virtualIp) {
      this.id = id;
      this.site = site;
      this.virtualIp = virtualIp;
      this.ifName = lab.interfaceName("r" + id + site.publicAddress().substring(site.publicAddress().lastIndexOf('.') + 1));
      Path key = lab.wireGuardKey(ifName);
      this.publicKey = lab.wireGuardPublicKey(key);
      lab.startWireGuardGo(site.hostNamespace(), ifName);
      lab.run(site.hostNamespace(), "ip", "addr", "add", virtualIp + "/24", "dev", ifName).orThrow();
      lab.run(site.hostNamespace(), "ip", "link", "set", ifName, "up").orThrow();
      this.agent = lab.startJava(site.hostNamespace(), ConnectionAgentMain.class, ifName, key.toString(),
          Integer.toString(PORT), lab.stunServer().toString(), lab.turnServer().toString(), Lab.TURN_USER,
          Lab.TURN_PASSWORD);
      String[] local = agent.awaitValue("LOCAL ", STEP).split(" ");
      this.natType = NatType.valueOf(local[0]);
      this.mapped = local[1];
    }

    /** Tells this member about {@code other}, as the control plane does when both are in one party. */
    void track(Member other) {
      agent.send("PEER " + other.id + " " + other.publicKey + " " + other.natType + " " + other.mapped + " "
          + other.virtualIp);
    }

    String status(String peerId) {
      agent.send("STATUS " + peerId);
      return agent.awaitValue("STATUS " + peerId + " ", STEP);
    }

    /** Asks for the status of {@code peerId} and returns the answer to this very request. */
    String nextStatus(String peerId) {
      int before = count("STATUS " + peerId + " ");
      agent.send("STATUS " + peerId);
      Lab.await(id + "'s status answer", STEP, () -> count("STATUS " + peerId + " ") > before);
      String[] lines = agent.output().split("\n");
      for (int i = lines.length - 1; ; i--) {
        if (lines[i].startsWith("STATUS " + peerId + " ")) {
          return lines[i].substring(("STATUS " + peerId + " ").length());
        }
      }
    }

    /** How many output lines so far start with {@code prefix}. */
    int count(String prefix) {
      return (int) agent.output().lines().filter(l -> l.startsWith(prefix)).count();
    }

    /** When WireGuard's session with the one peer was made (`wg show latest-handshakes`, seconds). */
    String latestHandshake() {
      String out = lab.run(site.hostNamespace(), "wg", "show", ifName, "latest-handshakes").orThrow().output().strip();
      return out.substring(out.indexOf('\t') + 1);
    }

    /** The endpoint this member's WireGuard sends to for its one peer. */
    String wireGuardEndpoint() {
      String out = lab.run(site.hostNamespace(), "wg", "show", ifName, "endpoints").orThrow().output().strip();
      return out.substring(out.indexOf('\t') + 1);
    }

    @Override
    public void close() {
      if (agent.isAlive()) {
        agent.send("QUIT");
        agent.awaitLine("BYE"::equals, Duration.ofSeconds(10));
      }
      agent.close();
      System.out.println("---- member " + id + " (" + site.kind() + ") ----\n" + agent.output());
    }
  }

  /**
   * Stands in for the control plane: forwards each agent's {@code SIGNAL} lines to the other one
   * and counts them by sender and type.
   */
  private static final class ControlPlane implements AutoCloseable {
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    ControlPlane(Member a, Member b) {
      thread = new Thread(() -> {
        int seenA = 0;
        int seenB = 0;
        while (!closed) {
          seenA = forward(a, b, seenA);
          seenB = forward(b, a, seenB);
          try {
            Thread.sleep(10);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "lab-control-plane");
      thread.setDaemon(true);
      thread.start();
    }

    /** Forwards {@code from}'s signal lines after the first {@code seen} lines; returns the new count. */
    private int forward(Member from, Member to, int seen) {
      String output = from.agent.output();
      if (output.isEmpty()) {
        return seen;
      }
      String[] lines = output.split("\n");
      for (int i = seen; i < lines.length; i++) {
        String[] w = lines[i].split(" ");
        if (!w[0].equals("SIGNAL")) {
          continue;
        }
        counts.computeIfAbsent(from.id + " " + w[1], k -> new AtomicInteger()).incrementAndGet();
        switch (w[1]) {
          case "punch" -> to.agent.send("PUNCH " + from.id);
          case "relay-candidate" -> to.agent.send("CANDIDATE " + from.id + " " + w[3]);
          default -> throw new IllegalStateException("unknown signal: " + lines[i]);
        }
      }
      return lines.length;
    }

    int count(String from, String type) {
      AtomicInteger n = counts.get(from + " " + type);
      return n == null ? 0 : n.get();
    }

    @Override
    public void close() {
      closed = true;
      thread.interrupt();
    }
  }
}
