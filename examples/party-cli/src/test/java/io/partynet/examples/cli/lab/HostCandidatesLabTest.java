package io.partynet.examples.cli.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.partynet.ConnectionType;
import io.partynet.Endpoint;
import io.partynet.testing.lab.Lab;
import io.partynet.testing.lab.LabSite;
import io.partynet.testing.lab.LabTest;
import io.partynet.testing.lab.NatKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's host candidates in the lab. First proof: two players behind one home router that does not hairpin (port-restricted
 * cone, the usual home router) meet over their LAN addresses, directly, right after joining; a
 * third player elsewhere still gets its usual direct paths to both. Each member advertises its
 * host candidates through the control plane; WireGuard's endpoint for the neighbour must be its
 * LAN address, not the router's public one (which would not even work without hairpinning).
 * A second player on the same host joining right after the first left meets the creator on the
 * LAN too: the neighbour's host candidates reach a joiner before its join is entered, and are held
 * for it (they were dropped, and the pair waited ~9 s for the next record update).
 *
 *
 * <p>The dual-stack proof: two homes with global IPv6 and IPv4 behind a symmetric NAT on both
 * sides. Over IPv4 the pair could only meet through the relay; each member advertises its global
 * IPv6 address as a host candidate, and IPv6 needs no NAT traversal (both home routers run a
 * stateful firewall, which two members sending to each other at once pass), so the pair connects
 * directly over IPv6.
 *
 * <p>Budget: about 60-80 s on two cores (one lab and server, six members).
 */
@LabTest(needs = {LabTest.Need.NAT, LabTest.Need.WIREGUARD_GO}, tools = {"ping", "ip6tables"})
class HostCandidatesLabTest {
  private static final Duration LAN_PATH = Duration.ofSeconds(20);
  private static final Duration IPV6_PATH = Duration.ofSeconds(30);
  private static PartyLab party;

  @BeforeAll
  static void buildLab() {
    party = PartyLab.start(4);
  }

  @AfterAll
  static void tearDown() {
    if (party != null) {
      party.close();
    }
  }

  @Test
  void twoHostsBehindOneRouterMeetOnTheLanAndAThirdStillGoesDirect() {
    List<LabSite> home = party.lab().addSharedSite(NatKind.PORT_RESTRICTED_CONE, 2);
    LabSite elsewhere = party.lab().addSite(NatKind.FULL_CONE);
    String aliceLan = home.get(0).hostAddress();
    String bobLan = home.get(1).hostAddress();
    try (LabMember alice = party.create(home.get(0), "lan-alice")) {
      try (LabMember bob = party.join(home.get(1), "lan-bob", alice.inviteCode())) {
        meetOnTheLan(alice, bob, aliceLan, bobLan);
        farMemberGoesDirect(alice, bob, elsewhere, home.get(0).publicAddress(), bobLan);
      }
      // The next player on bob's host (same LAN address and port) joins right after: the first
      // signals reach a member before its join is entered, and must not be lost.
      try (LabMember dave = party.join(home.get(1), "lan-dave", alice.inviteCode())) {
        meetOnTheLan(alice, dave, aliceLan, bobLan);
      }
    }
  }

  /** {@code bob} joined {@code alice}'s party from the same LAN: both ping, and WireGuard uses the LAN addresses. */
  private static void meetOnTheLan(LabMember alice, LabMember bob, String aliceLan, String bobLan) {
    long joined = bob.joinedAtNanos();
    assertTrue(party.ping(bob, alice.virtualIp(), PairRun.FIRST_PING), "bob -> alice over the tunnel\n" + bob.log());
    long firstPingMs = (System.nanoTime() - joined) / 1_000_000;
    assertTrue(party.ping(alice, bob.virtualIp(), PairRun.FIRST_PING), "alice -> bob over the tunnel");

    Lab.await("both WireGuards to use the neighbour's LAN address", LAN_PATH,
        () -> usesAddress(alice, bobLan) && usesAddress(bob, aliceLan));
    Lab.await("both to report a direct path", LAN_PATH, () -> PairRun.pathTo(alice, bob) == ConnectionType.DIRECT
        && PairRun.pathTo(bob, alice) == ConnectionType.DIRECT);
    System.out.printf("same router, no hairpin: LAN path %s <-> %s, first ping %d ms after join returned%n",
        endpoints(bob), endpoints(alice), firstPingMs);
  }

  /** A third member elsewhere reaches both at their router's public address, and the LAN path stays. */
  private static void farMemberGoesDirect(LabMember alice, LabMember bob, LabSite elsewhere, String homePublic,
      String bobLan) {
    try (LabMember carol = party.join(elsewhere, "far-carol", alice.inviteCode())) {
      assertTrue(party.ping(carol, alice.virtualIp(), PairRun.FIRST_PING), "carol -> alice\n" + carol.log());
      assertTrue(party.ping(carol, bob.virtualIp(), PairRun.FIRST_PING), "carol -> bob\n" + carol.log());
      // A slow punch starts on the relay and moves to the direct path: wait for it, bounded.
      Lab.await("carol's paths to be direct (full cone to port-restricted)", PairRun.PATH_SETTLED,
          () -> PairRun.pathTo(carol, alice) == ConnectionType.DIRECT && PairRun.pathTo(carol, bob) == ConnectionType.DIRECT);
      List<String> fromCarol = endpoints(carol);
      assertEquals(2, fromCarol.size(), "carol's WireGuard has alice and bob: " + fromCarol);
      assertTrue(fromCarol.stream().allMatch(e -> e.startsWith(homePublic + ":")),
          "from elsewhere both are reached at their router's public address: " + fromCarol);
      assertTrue(usesAddress(alice, bobLan), "the LAN path stays while carol joins: " + endpoints(alice));
    }
  }

  @Test
  void twoSymmetricNatHomesWithIpv6ConnectDirectlyOverIpv6() {
    LabSite aliceHome = party.lab().addDualStackSite(NatKind.SYMMETRIC);
    LabSite bobHome = party.lab().addDualStackSite(NatKind.SYMMETRIC);
    String aliceV6 = party.lab().ipv6Address(aliceHome).orElseThrow();
    String bobV6 = party.lab().ipv6Address(bobHome).orElseThrow();
    try (LabMember alice = party.create(aliceHome, "v6-alice");
        LabMember bob = party.join(bobHome, "v6-bob", alice.inviteCode())) {
      long joined = bob.joinedAtNanos();
      assertTrue(party.ping(bob, alice.virtualIp(), PairRun.FIRST_PING), "bob -> alice over the tunnel\n" + bob.log());
      long firstPingMs = (System.nanoTime() - joined) / 1_000_000;
      assertTrue(party.ping(alice, bob.virtualIp(), PairRun.FIRST_PING), "alice -> bob over the tunnel\n" + alice.log());

      Lab.await("both WireGuards to send to the other's IPv6 address", IPV6_PATH,
          () -> wgShowEndpoints(alice).contains("[" + bobV6 + "]") && wgShowEndpoints(bob).contains("[" + aliceV6 + "]"));
      Lab.await("both to report the IPv6 path", IPV6_PATH,
          () -> "ipv6".equals(path(alice, bob)) && "ipv6".equals(path(bob, alice)));
      assertEquals(ConnectionType.DIRECT, PairRun.pathTo(alice, bob), "an IPv6 path is direct");
      JsonNode tried = alice.peer(alice.status(), bob.name()).orElseThrow().path("candidates");
      assertEquals("ipv6", tried.path(0).path("path").asText(), "the IPv6 candidate is tried first: " + tried);
      assertEquals(Endpoint.parse("[" + bobV6 + "]:51820").toSocketAddress(),
          Endpoint.parse(tried.path(0).path("endpoint").asText()).toSocketAddress(), tried.toString());
      assertEquals(ConnectionType.DIRECT, PairRun.pathTo(bob, alice), "an IPv6 path is direct");
      assertTrue(party.ping(bob, alice.virtualIp(), PairRun.FIRST_PING), "bob -> alice over IPv6\n" + bob.log());
      System.out.printf("dual stack, symmetric IPv4 NAT on both sides: %s <-> %s over IPv6, first ping %d ms after"
          + " join returned%n", wgShowEndpoints(bob), wgShowEndpoints(alice), firstPingMs);
    }
  }

  private static String path(LabMember from, LabMember to) {
    return from.peer(from.status(), to.name()).map(p -> p.path("path").asText()).orElse("none");
  }

  private static boolean usesAddress(LabMember member, String address) {
    return endpoints(member).stream().anyMatch(e -> e.startsWith(address + ":"));
  }

  /** The endpoints {@code member}'s WireGuard sends to, one per peer that has one ("ip:port"). */
  private static List<String> endpoints(LabMember member) {
    String output = party.lab().run(member.site().hostNamespace(), "wg", "show", member.interfaceName(), "endpoints")
        .orThrow().output();
    return output.lines().map(l -> l.trim().split("\\s+")).filter(f -> f.length == 2 && !f[1].equals("(none)"))
        .map(f -> f[1]).toList();
  }

  /** The endpoints {@code member}'s WireGuard sends to, as `wg show` prints them. */
  private static String wgShowEndpoints(LabMember member) {
    List<String> lines = party.lab().run(member.site().hostNamespace(), "wg", "show", member.interfaceName(),
        "endpoints").orThrow().output().lines().toList();
    return String.join(" ", lines);
  }
}
