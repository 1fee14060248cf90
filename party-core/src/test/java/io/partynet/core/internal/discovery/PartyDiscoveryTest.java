package io.partynet.core.internal.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.InviteCode;
import io.partynet.Party;
import io.partynet.PartyConfig;
import io.partynet.testing.TestPeers;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The manager's entry point: which tap it picks, and that it never fails the party. */
class PartyDiscoveryTest {
  private static final Party PARTY = Party.of(InviteCode.generate(new Random(1)), "lan", "a", List.of(
      TestPeers.peer("a").withVirtualIp("10.77.0.1"), TestPeers.peer("b").withVirtualIp("10.77.0.2"),
      TestPeers.peer("c")), Instant.EPOCH);

  @Test
  void theEmbeddedBackendGetsTheLoopbackTapAndTheRelayPortOnItsVirtualIp() {
    MemoryNetwork network = new MemoryNetwork();
    try (PartyDiscovery discovery = PartyDiscovery.start(PartyConfig.builder().build(), Optional.of(network),
        "party0", "10.77.0.1", "a", () -> PARTY)) {
      assertEquals("loopback", discovery.stats().mode());
      assertTrue(network.sockets.containsKey(DiscoverySettings.DEFAULT_RELAY_PORT));
    }
  }

  @Test
  void turnedOffOrMisconfiguredItReportsOffAndOpensNothing() {
    MemoryNetwork network = new MemoryNetwork();
    for (PartyConfig config : List.of(PartyConfig.builder().setting("discovery.enabled", "false").build(),
        PartyConfig.builder().setting("discovery.ports", "not-a-port").build(),
        PartyConfig.builder().setting("discovery.ports", "-*").setting("discovery.groups", "-*").build())) {
      try (PartyDiscovery discovery = PartyDiscovery.start(config, Optional.of(network), "party0", "10.77.0.1", "a",
          () -> PARTY)) {
        assertEquals("off", discovery.stats().mode());
      }
    }
    assertTrue(network.sockets.isEmpty());
  }

  @Test
  void withoutATapForTheKernelInterfaceItReportsOff() {
    // party-core alone has no DiscoveryTapProvider (party-wireguard-jna brings the Linux one).
    try (PartyDiscovery discovery = PartyDiscovery.start(PartyConfig.builder().build(), Optional.empty(), "party0",
        "10.77.0.1", "a", () -> PARTY)) {
      assertEquals("off", discovery.stats().mode());
    }
  }

  @Test
  void theOtherMembersAreEveryoneElseWithAVirtualIp() {
    assertEquals(Set.of("10.77.0.2"), PartyDiscovery.otherMembers(PARTY, "a"));
    assertEquals(Set.of(), PartyDiscovery.otherMembers(null, "a"));
  }
}
