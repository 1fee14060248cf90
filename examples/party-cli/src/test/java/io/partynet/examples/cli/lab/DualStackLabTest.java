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
 * Issue 12's dual-stack proof: two homes with global IPv6 and IPv4 behind a symmetric NAT on both
 * sides. Over IPv4 the pair could only meet through the relay; each member advertises its global
 * IPv6 address as a host candidate, and IPv6 needs no NAT traversal (both home routers run a
 * stateful firewall, which two members sending to each other at once pass), so the pair connects
 * directly over IPv6.
 */
@LabTest(needs = {LabTest.Need.NAT, LabTest.Need.WIREGUARD_GO}, tools = {"ping", "ip6tables"})
class DualStackLabTest {
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
          () -> endpoints(alice).contains("[" + bobV6 + "]") && endpoints(bob).contains("[" + aliceV6 + "]"));
      Lab.await("both to report the IPv6 path", IPV6_PATH,
          () -> "ipv6".equals(path(alice, bob)) && "ipv6".equals(path(bob, alice)));
      assertEquals(ConnectionType.DIRECT, PairRun.pathTo(alice, bob), "an IPv6 path is direct");
      assertEquals(ConnectionType.DIRECT, PairRun.pathTo(bob, alice), "an IPv6 path is direct");
      assertTrue(party.ping(bob, alice.virtualIp(), PairRun.FIRST_PING), "bob -> alice over IPv6\n" + bob.log());
      System.out.printf("dual stack, symmetric IPv4 NAT on both sides: %s <-> %s over IPv6, first ping %d ms after"
          + " join returned%n", endpoints(bob), endpoints(alice), firstPingMs);
    }
  }

  private static String path(LabMember from, LabMember to) {
    return from.peer(from.status(), to.name()).map(p -> p.path("path").asText()).orElse("none");
  }

  /** The endpoints {@code member}'s WireGuard sends to, as `wg show` prints them. */
  private static String endpoints(LabMember member) {
    List<String> lines = party.lab().run(member.site().hostNamespace(), "wg", "show", member.interfaceName(),
        "endpoints").orThrow().output().lines().toList();
    return String.join(" ", lines);
  }
}
