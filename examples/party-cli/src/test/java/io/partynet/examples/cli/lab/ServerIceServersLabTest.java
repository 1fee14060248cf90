package io.partynet.examples.cli.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.ConnectionType;
import io.partynet.NatType;
import io.partynet.testing.lab.Lab;
import io.partynet.testing.lab.LabSite;
import io.partynet.testing.lab.LabTest;
import io.partynet.testing.lab.NatKind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's "done when": members configured with nothing but the control server's URL (no STUN,
 * no TURN, no TURN password in their settings) learn their NAT type from the STUN server the
 * control server hands out and meet through its TURN server, a coturn with {@code use-auth-secret}
 * that accepts only the short-lived credentials the control server issues (TURN REST API). A
 * port-restricted and a symmetric member (no direct path: the relay must carry them) both report
 * their NAT type, the relay, and ping each other; the relayed link still carries pings after the
 * credential it was allocated with expired (30 s, the server's minimum).
 *
 * <p>Budget: about 60-90 s on two cores (lab, server, two members, the wait past the expiry).
 */
@LabTest(needs = {LabTest.Need.NAT, LabTest.Need.WIREGUARD_GO}, tools = {"ping"})
class ServerIceServersLabTest {
  private static final int CREDENTIAL_SECONDS = 30;

  @Test
  void membersWithOnlyTheServerUrlLearnTheirNatAndMeetThroughTheServersRelay() {
    try (PartyLab party = PartyLab.startWithIceServers(30, CREDENTIAL_SECONDS)) {
      LabSite home = party.lab().addSite(NatKind.PORT_RESTRICTED_CONE);
      LabSite away = party.lab().addSite(NatKind.SYMMETRIC);
      try (LabMember host = party.create(home, "ice-host");
          LabMember guest = party.join(away, "ice-guest", host.inviteCode())) {
        long joined = System.nanoTime();
        Lab.await("both members' NAT types from the server's STUN server", PairRun.NAT_LEARNT,
            () -> !host.status().path("myNatType").asText().equals("UNKNOWN")
                && !guest.status().path("myNatType").asText().equals("UNKNOWN"));
        assertEquals(NatType.PORT_RESTRICTED_CONE, NatType.valueOf(host.status().path("myNatType").asText()));
        assertEquals(NatType.SYMMETRIC, NatType.valueOf(guest.status().path("myNatType").asText()));

        assertTrue(party.ping(guest, host.virtualIp(), PairRun.FIRST_PING), "guest -> host\n" + guest.log());
        assertTrue(party.ping(host, guest.virtualIp(), PairRun.FIRST_PING), "host -> guest\n" + host.log());
        Lab.await("both to report the relay", PairRun.PATH_SETTLED,
            () -> PairRun.pathTo(host, guest) == ConnectionType.RELAY && PairRun.pathTo(guest, host) == ConnectionType.RELAY);
        String restTurn = "allocating a TURN relay on " + Lab.STUN_PRIMARY + ":" + RestTurnServer.PORT;
        assertTrue(host.log().contains(restTurn) && guest.log().contains(restTurn),
            "both relay through the server's use-auth-secret coturn\n" + guest.log());
        System.out.printf("server URL only: NAT types learnt, relayed ping %d ms after join returned%n",
            (System.nanoTime() - joined) / 1_000_000);

        Duration pastExpiry = Duration.ofSeconds(CREDENTIAL_SECONDS + 5);
        Lab.await("the relay credential to expire", pastExpiry.plusSeconds(5),
            () -> System.nanoTime() - joined >= pastExpiry.toNanos());
        assertTrue(party.ping(guest, host.virtualIp(), PairRun.FIRST_PING),
            "the relayed link outlives its credential\n" + guest.log());
        assertEquals(ConnectionType.RELAY, PairRun.pathTo(guest, host));
      }
    }
  }
}
