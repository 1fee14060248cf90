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
 * their NAT type, the relay, and ping each other. The credentials live 30 s (the server's
 * minimum): each member rotates its allocation make-before-break before its credential expires
 * (TurnRelay), and the relayed link keeps carrying pings across two rotations on each side.
 *
 * <p>Budget: about 60-90 s on two cores (lab, server, two members, two credential lifetimes).
 */
@LabTest(needs = {LabTest.Need.NAT, LabTest.Need.WIREGUARD_GO}, tools = {"ping"})
class ServerIceServersLabTest {
  private static final int CREDENTIAL_SECONDS = 30;
  private static final String ROTATION = "rotating the TURN allocation";
  private static final String RETIRED = "retired the previous TURN allocation";
  private static final int ROTATIONS = 2;
  /** Two rotations happen about 24 and 48 s after the join; room for a loaded host. */
  private static final Duration ROTATED = Duration.ofSeconds(CREDENTIAL_SECONDS * (ROTATIONS + 2));
  /** A ping through a rotation: the peer's forwarder binds a channel to the new address, one round trip. */
  private static final Duration PING = Duration.ofSeconds(5);
  private static final Duration ROUND_PAUSE = Duration.ofMillis(200);

  /**
   * Paces the ping rounds, so the minute holds a few hundred rounds rather than thousands of process
   * starts; what is checked is every ping's answer, not the pause.
   */
  private static void pace() {
    try {
      Thread.sleep(ROUND_PAUSE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long count(LabMember member, String line) {
    return member.log().lines().filter(l -> l.contains(line)).count();
  }

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

        int pings = 0;
        long deadline = System.nanoTime() + ROTATED.toNanos();
        // Until both rotated twice and deleted the first old allocation (15 s after its rotation):
        // the link then no longer depends on the allocation it was made on.
        while (count(host, ROTATION) < ROTATIONS || count(guest, ROTATION) < ROTATIONS || count(host, RETIRED) < 1
            || count(guest, RETIRED) < 1) {
          assertTrue(System.nanoTime() < deadline, "two rotations and a retirement each within " + ROTATED + "\n" + host.log()
              + "\n" + guest.log());
          assertTrue(party.ping(guest, host.virtualIp(), PING), "guest -> host, ping " + pings + " (rotations "
              + count(host, ROTATION) + "/" + count(guest, ROTATION) + ")\n" + host.log() + "\n" + guest.log());
          assertTrue(party.ping(host, guest.virtualIp(), PING), "host -> guest, ping " + pings + "\n" + host.log());
          pings++;
          pace();
        }
        assertEquals(ConnectionType.RELAY, PairRun.pathTo(guest, host));
        assertEquals(ConnectionType.RELAY, PairRun.pathTo(host, guest));
        System.out.printf("credentials of %d s: %d rotations each, %d ping rounds both ways answered within %d s%n",
            CREDENTIAL_SECONDS, ROTATIONS, pings, PING.toSeconds());
      }
    }
  }
}
