package io.partynet.examples.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JoinPhasesTest {
  private static final String LOG = """
      2026-12-05T19:45:09.130+0000 [main] INFO PrivateKeyStore - Created a new WireGuard key pair
      2026-12-05T19:45:14.435+0000 [partynet-manager] INFO DataPlane - interface pnx6786m6 is up at 10.77.0.2/16 on UDP port 51820 (uapi)
      2026-12-05T19:45:14.529+0000 [partynet-manager] INFO ConnectionManager - connecting to host (nchyw92x, UNKNOWN): plan [PUNCH, RELAY]
      2026-12-05T19:45:14.624+0000 [partynet-manager] INFO ConnectionManager - connecting to other (abc, UNKNOWN): plan [PUNCH, RELAY]
      2026-12-05T19:45:15.313+0000 [partynet-turn-rx] INFO RelayForwarder - relay for /203.0.113.1:54848: WireGuard endpoint 127.0.0.1:33477 <-> TURN channel 0x4000
      2026-12-05T19:45:16.200+0000 [partynet-manager] INFO ConnectionManager - link to host (nchyw92x) is UP via RELAY
      2026-12-05T19:45:27.941+0000 [partynet-manager] INFO ConnectionManager - connecting to host (nchyw92x, SYMMETRIC): plan [RELAY]
      """;

  @Test
  void readsThePhasesOfTheLinkToOneMemberFromItsLog() {
    JoinPhases phases = JoinPhases.of(LOG, "host").orElseThrow();
    assertEquals(94, phases.planMs());
    assertEquals(878, phases.relayMs());
    assertEquals(1765, phases.upMs());
    assertEquals("RELAY", phases.path());
  }

  @Test
  void aLogWithoutTheLinkComingUpHasNoPhases() {
    assertTrue(JoinPhases.of(LOG, "nobody").isEmpty());
  }
}
