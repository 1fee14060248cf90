package io.partynet.examples.cli.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.ConnectionType;
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
 * Issue 12's first proof: two players behind one home router that does not hairpin (port-restricted
 * cone, the usual home router) meet over their LAN addresses, directly, right after joining; a
 * third player elsewhere still gets its usual direct paths to both. Each member advertises its
 * host candidates through the control plane; WireGuard's endpoint for the neighbour must be its
 * LAN address, not the router's public one (which would not even work without hairpinning).
 */
@LabTest(needs = {LabTest.Need.NAT, LabTest.Need.WIREGUARD_GO}, tools = {"ping"})
class SameRouterLabTest {
  private static final Duration LAN_PATH = Duration.ofSeconds(20);
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
    try (LabMember alice = party.create(home.get(0), "lan-alice");
        LabMember bob = party.join(home.get(1), "lan-bob", alice.inviteCode())) {
      long joined = bob.joinedAtNanos();
      assertTrue(party.ping(bob, alice.virtualIp(), PairRun.FIRST_PING), "bob -> alice over the tunnel\n" + bob.log());
      long firstPingMs = (System.nanoTime() - joined) / 1_000_000;
      assertTrue(party.ping(alice, bob.virtualIp(), PairRun.FIRST_PING), "alice -> bob over the tunnel");

      String aliceLan = home.get(0).hostAddress();
      String bobLan = home.get(1).hostAddress();
      Lab.await("both WireGuards to use the neighbour's LAN address", LAN_PATH,
          () -> usesAddress(alice, bobLan) && usesAddress(bob, aliceLan));
      Lab.await("both to report a direct path", LAN_PATH, () -> PairRun.pathTo(alice, bob) == ConnectionType.DIRECT
          && PairRun.pathTo(bob, alice) == ConnectionType.DIRECT);
      System.out.printf("same router, no hairpin: LAN path %s <-> %s, first ping %d ms after join returned%n",
          endpoints(bob), endpoints(alice), firstPingMs);

      try (LabMember carol = party.join(elsewhere, "far-carol", alice.inviteCode())) {
        assertTrue(party.ping(carol, alice.virtualIp(), PairRun.FIRST_PING), "carol -> alice\n" + carol.log());
        assertTrue(party.ping(carol, bob.virtualIp(), PairRun.FIRST_PING), "carol -> bob\n" + carol.log());
        Lab.await("carol's paths to settle", PairRun.PATH_SETTLED, () -> PairRun.pathTo(carol, alice) != ConnectionType.NONE
            && PairRun.pathTo(carol, bob) != ConnectionType.NONE);
        assertEquals(ConnectionType.DIRECT, PairRun.pathTo(carol, alice), "full cone to port-restricted is direct");
        assertEquals(ConnectionType.DIRECT, PairRun.pathTo(carol, bob), "full cone to port-restricted is direct");
        List<String> fromCarol = endpoints(carol);
        assertEquals(2, fromCarol.size(), "carol's WireGuard has alice and bob: " + fromCarol);
        assertTrue(fromCarol.stream().allMatch(e -> e.startsWith(home.get(0).publicAddress() + ":")),
            "from elsewhere both are reached at their router's public address: " + fromCarol);
        assertTrue(usesAddress(alice, bobLan), "the LAN path stays while carol joins: " + endpoints(alice));
      }
    }
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
}
