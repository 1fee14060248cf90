package io.partynet.examples.cli.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.partynet.testing.Eventually;
import io.partynet.testing.lab.LabProcess;
import io.partynet.testing.lab.LabSite;
import io.partynet.testing.lab.LabTest;
import io.partynet.testing.lab.NatKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * LAN discovery across a party (issue 13) in the NAT lab: three party-cli members on wireguard-go
 * (uapi backend), each alone in its own home network behind its own router, so a broadcast can
 * reach another member only through the party. Unmodified programs on the hosts: socat as
 * broadcaster, multicast sender and listener, and {@link LanTrafficMain} (plain Java sockets) to
 * count datagrams and to listen as Minecraft Java does; and a fourth member on the embedded
 * backend. About a minute and a half on a 2-core machine, 35 s of it the all-members broadcast run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@LabTest(needs = {LabTest.Need.NAT, LabTest.Need.WIREGUARD_GO}, tools = {"socat", "ping"})
class LanDiscoveryLabTest {
  /** Added to the built-in table by setting, as a launcher would for its own game. */
  private static final int BROADCAST_PORT = 47777;
  private static final int COUNT_PORT = 47778;
  /** Minecraft Java's LAN announcements: in the built-in table. */
  private static final String GROUP = "224.0.2.60";
  private static final int GROUP_PORT = 4445;
  private static final int RATE = 20;
  private static final int BURST = 40;
  private static final Duration WAIT = Duration.ofSeconds(20);
  /** How long every member broadcasts at once (issue 13's proof). */
  private static final Duration ALL_BROADCAST = Duration.ofSeconds(30);
  /**
   * The most CPU the SDK's JVM on a member may use while all members broadcast, as a share of one
   * core: 900 datagrams captured, relayed or delivered in 30 s are a few ms of work; the rest is
   * the JVM's own (JIT, GC, heartbeats). Measured here: see the line the test prints.
   */
  private static final double RELAY_CPU_SHARE = 0.15;
  private static final Pattern RECEIVED = Pattern.compile("received packet with \\d+ bytes from AF=2 ([0-9.]+):(\\d+)");
  private static final Pattern LOCAL_PORT = Pattern.compile("local address: AF=2 [0-9.]+:(\\d+)");
  private static PartyLab party;
  private static LabMember alice;
  private static LabMember bob;
  private static LabMember carol;
  private final List<LabProcess> programs = new ArrayList<>();

  @BeforeAll
  static void startParty() {
    party = PartyLab.start(30);
    List<String> settings = List.of("discovery.ports=+" + BROADCAST_PORT + "-" + COUNT_PORT,
        "discovery.rate=" + RATE, "discovery.burst=" + BURST);
    LabSite a = party.lab().addSite(NatKind.FULL_CONE);
    LabSite b = party.lab().addSite(NatKind.FULL_CONE);
    LabSite c = party.lab().addSite(NatKind.FULL_CONE);
    alice = party.create(a, "alice", settings);
    bob = party.join(b, "bob", alice.inviteCode(), settings);
    carol = party.join(c, "carol", alice.inviteCode(), settings);
    for (LabMember from : List.of(alice, bob, carol)) {
      for (LabMember to : List.of(alice, bob, carol)) {
        if (from != to) {
          assertTrue(party.ping(from, to.virtualIp(), WAIT), from + " cannot reach " + to + " through the party");
        }
      }
    }
  }

  @AfterAll
  static void tearDown() {
    if (party != null) {
      party.close();
    }
  }

  @AfterEach
  void endPrograms() {
    programs.forEach(LabProcess::close);
    programs.clear();
  }

  @Test
  @Order(1)
  void aBroadcastArrivesFromTheSendersVirtualIpAndTheReplyReachesTheSendingProgram() {
    LabProcess bobListens = socatListener(bob, "UDP4-RECV:" + BROADCAST_PORT);
    LabProcess carolListens = socatListener(carol, "UDP4-RECV:" + BROADCAST_PORT);
    long bobRelayedBefore = discovery(bob).path("relayed").asLong();
    LabProcess broadcaster = start(alice, "socat", "-d", "-d", "-", "UDP-DATAGRAM:255.255.255.255:" + BROADCAST_PORT
        + ",broadcast");
    broadcaster.send("looking-for-games");
    int alicePort = Integer.parseInt(group(LOCAL_PORT, broadcaster.awaitLine(l -> LOCAL_PORT.matcher(l).find(), WAIT)));

    for (LabProcess listener : List.of(bobListens, carolListens)) {
      String from = listener.awaitLine(l -> RECEIVED.matcher(l).find(), WAIT);
      assertEquals(alice.virtualIp() + ":" + alicePort, sourceOf(from), "the datagram's source at " + listener);
      listener.awaitLine(l -> l.contains("looking-for-games"), WAIT);
    }

    party.lab().run(carol.site().hostNamespace(), "sh", "-c", "echo game-here-from-carol | socat - UDP-SENDTO:"
        + alice.virtualIp() + ":" + alicePort).orThrow();
    broadcaster.awaitLine(l -> l.contains("game-here-from-carol"), WAIT);
    assertTrue(broadcaster.output().contains("from AF=2 " + carol.virtualIp() + ":"),
        "the reply reached the broadcasting socat from carol's virtual IP:\n" + broadcaster.output());
    assertEquals(bobRelayedBefore, discovery(bob).path("relayed").asLong(),
        "bob delivered alice's broadcast locally and must not relay it again");
    assertTrue(discovery(alice).path("portsSeen").has(Integer.toString(BROADCAST_PORT)), "alice's ports seen");
  }

  /**
   * Minecraft's case. alice's unmodified announcer (socat) sends to 224.0.2.60:4445. At bob, a Java
   * listener made exactly as Minecraft's LAN browser ({@code MulticastSocket(4445)} joined on the
   * default interface; the JDK turns {@code IP_MULTICAST_ALL} off, so it takes a multicast only on
   * that interface) and a socat listener joined on the same interface; at carol a socat listener
   * that joined nowhere (bound to 0.0.0.0:4445, it keeps the kernel's {@code IP_MULTICAST_ALL}: the
   * relay delivers on loopback when no program joined the group). Each receives each announcement
   * exactly once, from alice's virtual IP and port; bob's router, itself a member of the group on
   * bob's LAN, hears nothing (the delivery on bob's LAN interface stays on bob's host); bob does not
   * relay what it delivered; bob's reply reaches the announcer.
   */
  @Test
  @Order(2)
  void aMulticastAnnouncementReachesJavaAndOtherGroupMembersOnceAndTheReplyReachesTheSender() {
    LabProcess bobJava = startJava(bob, "minecraft", GROUP, Integer.toString(GROUP_PORT));
    bobJava.awaitLine("READY"::equals, WAIT);
    LabProcess bobSocat = socatListener(bob, "UDP4-RECV:" + GROUP_PORT + ",reuseaddr,ip-add-membership=" + GROUP
        + ":" + bob.site().hostAddress());
    LabProcess carolSocat = socatListener(carol, "UDP4-RECV:" + GROUP_PORT);
    String bobRouterLan = bob.site().hostAddress().substring(0, bob.site().hostAddress().lastIndexOf('.')) + ".1";
    LabProcess bobRouter = party.lab().start(bob.site().routerNamespace(), "socat@bob-router", "socat", "-d", "-d",
        "-u", "UDP4-RECV:" + GROUP_PORT + ",ip-add-membership=" + GROUP + ":" + bobRouterLan, "STDOUT");
    programs.add(bobRouter);
    bobRouter.awaitLine(l -> l.contains("starting data transfer loop"), WAIT);
    long bobRelayedBefore = discovery(bob).path("relayed").asLong();
    LabProcess announcer = start(alice, "socat", "-d", "-d", "-", "UDP-DATAGRAM:" + GROUP + ":" + GROUP_PORT);
    String first = "[MOTD]alice - Lab World[/MOTD][AD]25565[/AD]";
    announcer.send(first);
    int alicePort = Integer.parseInt(group(LOCAL_PORT, announcer.awaitLine(l -> LOCAL_PORT.matcher(l).find(), WAIT)));

    assertEquals("FROM " + alice.virtualIp() + ":" + alicePort + " " + first,
        bobJava.awaitLine(l -> l.startsWith("FROM "), WAIT), "what Minecraft's LAN browser at bob receives");
    for (LabProcess listener : List.of(bobSocat, carolSocat)) {
      assertEquals(alice.virtualIp() + ":" + alicePort,
          sourceOf(listener.awaitLine(l -> RECEIVED.matcher(l).find(), WAIT)), "the announcement's source");
      listener.awaitLine(l -> l.contains("Lab World"), WAIT);
    }
    // A second announcement is delivered after every copy of the first: once it is everywhere, count.
    announcer.send("[MOTD]alice - Second Look[/MOTD][AD]25565[/AD]");
    for (LabProcess listener : List.of(bobJava, bobSocat, carolSocat)) {
      listener.awaitLine(l -> l.contains("Second Look"), WAIT);
      assertEquals(1, listener.output().lines().filter(l -> l.contains("Lab World")).count(),
          "copies of the first announcement at " + listener + ":\n" + listener.output());
    }
    assertEquals(2, bobJava.output().lines().filter(l -> l.startsWith("FROM ")).count(), bobJava.output());
    assertTrue(bobRouter.output().lines().noneMatch(l -> RECEIVED.matcher(l).find()),
        "a delivery on bob's LAN interface left bob's host:\n" + bobRouter.output());
    assertEquals(bobRelayedBefore, discovery(bob).path("relayed").asLong(),
        "bob delivered alice's announcements locally and must not relay them again");

    party.lab().run(bob.site().hostNamespace(), "sh", "-c", "echo hello-from-bob | socat - UDP-SENDTO:"
        + alice.virtualIp() + ":" + alicePort).orThrow();
    announcer.awaitLine(l -> l.contains("hello-from-bob"), WAIT);
  }

  /**
   * All three members broadcast at once for {@link #ALL_BROADCAST} at 10 datagrams per second
   * each (half the rate limit): each receives each other's datagrams exactly once, relays exactly
   * its own, and the SDK's JVM on each member (capture, relay, delivery) uses at most
   * {@link #RELAY_CPU_SHARE} of one core meanwhile. Status is read only before and after the run
   * (a status read costs the member CPU too). About 35 s.
   */
  @Test
  @Order(3)
  void everyMemberBroadcastingAtOnceFor30sReceivesEachOthersDatagramsExactlyOnceWithBoundedCpu() {
    int intervalMs = 100;
    int perMember = (int) (ALL_BROADCAST.toMillis() / intervalMs);
    Map<LabMember, LabProcess> listeners = new HashMap<>();
    Map<LabMember, long[]> before = new HashMap<>();
    for (LabMember m : List.of(alice, bob, carol)) {
      LabProcess listener = startJava(m, "listen", Integer.toString(COUNT_PORT));
      listener.awaitLine("READY"::equals, WAIT);
      listeners.put(m, listener);
      JsonNode d = discovery(m);
      before.put(m, new long[] {d.path("relayed").asLong(), d.path("delivered").asLong(), d.path("rateLimited").asLong()});
    }
    Map<LabMember, Duration> cpuBefore = new HashMap<>();
    List.of(alice, bob, carol).forEach(m -> cpuBefore.put(m, m.cpuTime()));
    long startedAt = System.nanoTime();
    List<LabProcess> senders = new ArrayList<>();
    for (LabMember m : List.of(alice, bob, carol)) {
      senders.add(startJava(m, "send", "255.255.255.255", Integer.toString(COUNT_PORT), m.name(),
          Integer.toString(perMember), Integer.toString(intervalMs)));
    }
    senders.forEach(s -> s.awaitLine(l -> l.startsWith("SENT "), ALL_BROADCAST.plus(WAIT)));
    for (LabMember m : List.of(alice, bob, carol)) {
      Eventually.until(WAIT, () -> countFromParty(listeners.get(m), m).values().stream().mapToInt(Integer::intValue)
          .sum() >= 2 * perMember, () -> m + "'s listener heard " + countFromParty(listeners.get(m), m).size()
          + " of " + 2 * perMember + "\n" + m.log());
    }
    Duration wall = Duration.ofNanos(System.nanoTime() - startedAt);
    Map<LabMember, Duration> cpu = new HashMap<>();
    List.of(alice, bob, carol).forEach(m -> cpu.put(m, m.cpuTime().minus(cpuBefore.get(m))));
    System.out.println("LAN discovery, all members broadcasting for " + wall.toMillis() + " ms: SDK CPU "
        + cpu.entrySet().stream().map(e -> e.getKey().name() + " " + e.getValue().toMillis() + " ms").toList());

    for (LabMember m : List.of(alice, bob, carol)) {
      JsonNode d = discovery(m);
      assertEquals(perMember, d.path("relayed").asLong() - before.get(m)[0], m + " relays exactly its own sends");
      assertEquals(2L * perMember, d.path("delivered").asLong() - before.get(m)[1], m + " delivers each other send once");
      assertEquals(0, d.path("rateLimited").asLong() - before.get(m)[2], m + " stayed under the rate limit");
      Map<String, Integer> fromParty = countFromParty(listeners.get(m), m);
      for (LabMember sender : List.of(alice, bob, carol)) {
        for (int i = 0; sender != m && i < perMember; i++) {
          assertEquals(1, fromParty.getOrDefault(sender.name() + "-" + i, 0),
              m + " received " + sender.name() + "-" + i + " this many times");
        }
      }
      assertEquals(2 * perMember, fromParty.size(), m + " received exactly the others' datagrams");
      assertTrue(cpu.get(m).compareTo(Duration.ZERO) > 0, m + "'s CPU time was measured: " + cpu.get(m));
      Duration bound = Duration.ofMillis((long) (wall.toMillis() * RELAY_CPU_SHARE));
      assertTrue(cpu.get(m).compareTo(bound) <= 0, m + "'s SDK used " + cpu.get(m).toMillis() + " ms of CPU in "
          + wall.toMillis() + " ms of relaying; the bound is " + bound.toMillis() + " ms");
    }
  }

  /** What {@code member}'s listener received from members, by payload; fails on its own broadcast coming back. */
  private static Map<String, Integer> countFromParty(LabProcess listener, LabMember member) {
    Map<String, Integer> fromParty = new HashMap<>();
    for (String line : listener.output().lines().toList()) {
      for (LabMember sender : List.of(alice, bob, carol)) {
        if (line.startsWith("FROM " + sender.virtualIp() + ":")) {
          fromParty.merge(line.substring(line.lastIndexOf(' ') + 1), 1, Integer::sum);
          assertTrue(sender != member, member + " received its own broadcast back from the party: " + line);
        }
      }
    }
    return fromParty;
  }

  @Test
  @Order(4)
  void overTheRateLimitTheExcessIsDroppedAndCountedAndPartyTrafficFlows() {
    int flood = 400;
    LabProcess bobListens = startJava(bob, "listen", Integer.toString(COUNT_PORT));
    bobListens.awaitLine("READY"::equals, WAIT);
    JsonNode aliceBefore = discovery(alice);
    JsonNode bobBefore = discovery(bob);
    long startedAt = System.nanoTime();
    startJava(alice, "send", "255.255.255.255", Integer.toString(COUNT_PORT), "flood", Integer.toString(flood), "0")
        .awaitLine(l -> l.startsWith("SENT "), WAIT);
    assertTrue(party.ping(alice, bob.virtualIp(), WAIT), "party traffic flows during the flood");
    // Every datagram the sender wrote passed alice's capture filter: the relay read it, or the kernel dropped it
    // for a full capture buffer (tp_drops, reported as captureOverflows). Once all are accounted for, every one
    // read was either relayed or counted as rate-limited.
    Eventually.until(WAIT, () -> {
      JsonNode d = discovery(alice);
      long captured = seen(d) - seen(aliceBefore);
      return captured + delta(d, aliceBefore, "captureOverflows") == flood
          && delta(d, aliceBefore, "relayed") + delta(d, aliceBefore, "rateLimited") == captured;
    }, () -> "alice accounted for each of the " + flood + " datagrams: " + discovery(alice));
    double seconds = (System.nanoTime() - startedAt) / 1e9;
    JsonNode after = discovery(alice);
    long relayed = delta(after, aliceBefore, "relayed");
    long limited = delta(after, aliceBefore, "rateLimited");
    long captured = seen(after) - seen(aliceBefore);
    assertEquals(flood, captured + delta(after, aliceBefore, "captureOverflows"), "read or lost to a full buffer");
    assertTrue(relayed >= BURST && relayed <= BURST + RATE * seconds + 1,
        "relayed " + relayed + " in " + seconds + " s (burst " + BURST + ", " + RATE + "/s)");
    assertEquals(captured - relayed, limited, "the excess is counted as rate-limited");
    // bob limits alice per port too; its bucket may hold fewer tokens than alice's after the previous test.
    Eventually.until(WAIT, () -> {
      JsonNode d = discovery(bob);
      return delta(d, bobBefore, "delivered") + delta(d, bobBefore, "rateLimited") == relayed;
    }, () -> "bob delivered or rate-limited each of alice's " + relayed + ": " + discovery(bob));
    assertTrue(party.ping(bob, alice.virtualIp(), WAIT), "party traffic flows after the flood");
  }

  /**
   * An embedded member (no TUN, no admin rights): relayed broadcasts reach its host's programs from
   * the loopback address standing for the sender (127.77.0.x for 10.77.0.x), their replies reach the
   * sender through the tunnel; its host's multicast announcements reach the others from its
   * virtual IP, and their replies reach the announcer.
   */
  @Test
  @Order(5)
  void anEmbeddedMemberTakesPartThroughLoopback() {
    LabMember dave = party.join(party.lab().addSite(NatKind.FULL_CONE), "dave", alice.inviteCode(),
        List.of("discovery.ports=+" + BROADCAST_PORT, "discovery.embedded-join-groups=true"), "embedded");
    LabProcess daveListens = socatListener(dave, "UDP4-RECV:" + BROADCAST_PORT);
    LabProcess broadcaster = start(alice, "socat", "-d", "-d", "-", "UDP-DATAGRAM:255.255.255.255:" + BROADCAST_PORT
        + ",broadcast");
    // dave's tunnel to alice comes up with the first packets: announce until dave's host hears one.
    repeatUntil(() -> broadcaster.send("anyone-there"), () -> daveListens.output().contains("anyone-there"),
        () -> "dave's host never heard alice's broadcast:" + dave.log());
    int alicePort = Integer.parseInt(group(LOCAL_PORT, broadcaster.awaitLine(l -> LOCAL_PORT.matcher(l).find(), WAIT)));
    String standsForAlice = "127." + alice.virtualIp().substring(alice.virtualIp().indexOf('.') + 1);
    assertEquals(standsForAlice + ":" + alicePort, sourceOf(daveListens.awaitLine(l -> RECEIVED.matcher(l).find(),
        WAIT)), "on the embedded member's host the sender is its standing loopback address");
    party.lab().run(dave.site().hostNamespace(), "sh", "-c", "echo hi-from-dave | socat - UDP-SENDTO:"
        + standsForAlice + ":" + alicePort).orThrow();
    broadcaster.awaitLine(l -> l.contains("hi-from-dave"), WAIT);
    assertTrue(broadcaster.output().contains("from AF=2 " + dave.virtualIp() + ":"), broadcaster.output());

    LabProcess bobListens = socatListener(bob, "UDP4-RECV:" + GROUP_PORT + ",ip-add-membership=" + GROUP + ":"
        + bob.site().hostAddress());
    LabProcess announcer = start(dave, "socat", "-d", "-d", "-", "UDP-DATAGRAM:" + GROUP + ":" + GROUP_PORT);
    repeatUntil(() -> announcer.send("[MOTD]dave - Embedded World[/MOTD][AD]25565[/AD]"),
        () -> bobListens.output().contains("Embedded World"), () -> "bob never heard dave's announcement:" + dave.log());
    int davePort = Integer.parseInt(group(LOCAL_PORT, announcer.awaitLine(l -> LOCAL_PORT.matcher(l).find(), WAIT)));
    assertEquals(dave.virtualIp() + ":" + davePort, sourceOf(bobListens.awaitLine(l -> RECEIVED.matcher(l).find(),
        WAIT)), "the announcement's source at bob");
    party.lab().run(bob.site().hostNamespace(), "sh", "-c", "echo join-me-bob | socat - UDP-SENDTO:"
        + dave.virtualIp() + ":" + davePort).orThrow();
    announcer.awaitLine(l -> l.contains("join-me-bob"), WAIT);
    assertEquals("loopback", discovery(dave).path("mode").asText());
  }

  /** Sends every 300 ms (like a game's announcements, well under the rate limit) until {@code done}. */
  private static void repeatUntil(Runnable send, java.util.function.BooleanSupplier done,
      java.util.function.Supplier<String> what) {
    long[] lastSent = {System.nanoTime() - 1_000_000_000L};
    Eventually.until(WAIT, () -> {
      if (System.nanoTime() - lastSent[0] >= 300_000_000L) {
        send.run();
        lastSent[0] = System.nanoTime();
      }
      return done.getAsBoolean();
    }, what);
  }

  private LabProcess socatListener(LabMember member, String address) {
    LabProcess p = start(member, "socat", "-d", "-d", "-u", address, "STDOUT");
    p.awaitLine(l -> l.contains("starting data transfer loop"), WAIT);
    return p;
  }

  private LabProcess start(LabMember member, String... command) {
    LabProcess p = party.lab().start(member.site().hostNamespace(), command[0] + "@" + member.name(), command);
    programs.add(p);
    return p;
  }

  private LabProcess startJava(LabMember member, String... args) {
    LabProcess p = party.lab().startJava(member.site().hostNamespace(), LanTrafficMain.class, args);
    programs.add(p);
    return p;
  }

  private static long delta(JsonNode after, JsonNode before, String counter) {
    return after.path(counter).asLong() - before.path(counter).asLong();
  }

  private static long seen(JsonNode discovery) {
    return discovery.path("portsSeen").path(Integer.toString(COUNT_PORT)).asLong();
  }

  private static JsonNode discovery(LabMember member) {
    return member.status().path("discovery");
  }

  private static String sourceOf(String socatLine) {
    Matcher m = RECEIVED.matcher(socatLine);
    assertTrue(m.find(), socatLine);
    return m.group(1) + ":" + m.group(2);
  }

  private static String group(Pattern pattern, String line) {
    Matcher m = pattern.matcher(line);
    assertTrue(m.find(), line);
    return m.group(1);
  }
}
