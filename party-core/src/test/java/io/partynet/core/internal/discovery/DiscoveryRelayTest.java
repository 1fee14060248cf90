package io.partynet.core.internal.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.DiscoveryStats;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class DiscoveryRelayTest {
  private static final int PORT = 27015;
  private static final DiscoverySettings GENEROUS = new DiscoverySettings(true, WellKnownDiscovery.scope(), 1e6,
      1_000_000, DiscoverySettings.MAX_PAYLOAD, DiscoverySettings.DEFAULT_RELAY_PORT);

  @Test
  void aBroadcastReachesEveryOtherMemberFromTheSendersVirtualIpAndPort() {
    MemoryParty party = new MemoryParty(3, GENEROUS);
    party.member(0).localSend(40000, "192.168.1.255", PORT, "hello");
    party.pump();
    for (int i = 1; i < 3; i++) {
      List<LanDatagram> got = party.member(i).delivered;
      assertEquals(1, got.size(), "member " + i);
      assertEquals(new LanDatagram("10.77.0.1", 40000, "255.255.255.255", PORT, "hello".getBytes()).toString(),
          got.get(0).toString());
    }
    assertEquals(0, party.member(0).delivered.size(), "nothing comes back to the sender");
    assertEquals(1, party.member(0).relay.stats().relayed());
    assertEquals(0, party.member(1).relay.stats().relayed(), "a delivery echoed to capture is not relayed again");
    assertEquals(1, party.member(1).relay.stats().dropped(), "... it is counted as dropped");
  }

  @Test
  void outOfScopeDatagramsAreNeverRelayed() {
    // Which addresses are broadcasts only the tap can tell (DiscoveryFilterTest, LinuxDiscoveryTap).
    MemoryParty party = new MemoryParty(2, GENEROUS);
    party.member(0).localSend(40000, "255.255.255.255", 9, "not a discovery port");
    party.member(0).localSend(40000, "239.1.2.3", 4445, "not a listed group");
    party.pump();
    assertEquals(0, party.member(1).delivered.size());
    assertEquals(0, party.member(0).relay.stats().relayed());
  }

  @Test
  void framesFromNonMembersOtherPortsOrMalformedAreDroppedAndCounted() {
    MemoryParty party = new MemoryParty(2, GENEROUS);
    byte[] frame = new RelayFrame(false, Ipv4.LIMITED_BROADCAST, PORT, 5555, new byte[] {1}).encode();
    int relayPort = GENEROUS.relayPort();
    party.inject("10.77.0.99", relayPort, "10.77.0.2", frame);
    party.inject("10.77.0.1", 12345, "10.77.0.2", frame);
    party.inject("10.77.0.1", relayPort, "10.77.0.2", new byte[] {'P', 'D', 9});
    party.inject("10.77.0.1", relayPort, "10.77.0.2",
        new RelayFrame(false, Ipv4.LIMITED_BROADCAST, 9, 5555, new byte[] {1}).encode());
    party.inject("10.77.0.1", relayPort, "10.77.0.2", frame);
    party.pump();
    assertEquals(1, party.member(1).delivered.size(), "only the member's in-scope frame");
    DiscoveryStats stats = party.member(1).relay.stats();
    assertEquals(5, stats.dropped(), "4 refused frames + the delivery echoed back into capture");
    assertEquals(1, stats.delivered());
    assertEquals(Map.of(PORT, 1L), stats.portsSeen());
  }

  @Test
  void aMemberThatLeftIsNoLongerAcceptedNorSentTo() {
    MemoryParty party = new MemoryParty(3, GENEROUS);
    party.member(1).others.remove("10.77.0.1");
    party.member(0).others.remove("10.77.0.2");
    party.member(0).localSend(40000, "255.255.255.255", PORT, "a");
    party.inject("10.77.0.1", GENEROUS.relayPort(), "10.77.0.2",
        new RelayFrame(false, Ipv4.LIMITED_BROADCAST, PORT, 1, new byte[0]).encode());
    party.pump();
    assertEquals(0, party.member(1).delivered.size());
    assertEquals(1, party.member(2).delivered.size());
  }

  @Test
  void theRateLimitAppliesPerMemberAndPortOnBothSides() {
    DiscoverySettings tight = new DiscoverySettings(true, WellKnownDiscovery.scope(), 1, 5,
        DiscoverySettings.MAX_PAYLOAD, DiscoverySettings.DEFAULT_RELAY_PORT);
    MemoryParty party = new MemoryParty(2, tight);
    for (int i = 0; i < 12; i++) {
      party.member(0).localSend(40000, "255.255.255.255", PORT, "x" + i);
      party.member(0).localSend(40000, "255.255.255.255", PORT + 1, "y" + i);
    }
    party.pump();
    assertEquals(10, party.member(0).relay.stats().relayed(), "5 per port");
    assertEquals(14, party.member(0).relay.stats().rateLimited());
    assertEquals(10, party.member(1).delivered.size());
    for (int i = 0; i < 7; i++) {
      party.inject("10.77.0.1", tight.relayPort(), "10.77.0.2",
          new RelayFrame(false, Ipv4.LIMITED_BROADCAST, PORT + 2, 1, new byte[0]).encode());
    }
    party.pump();
    assertEquals(2, party.member(1).relay.stats().rateLimited(), "the receiving side limits a member too");
    party.nanos.addAndGet(1_000_000_000L);
    party.member(0).localSend(40000, "255.255.255.255", PORT, "after a second");
    party.pump();
    assertEquals(11, party.member(0).relay.stats().relayed(), "one token per second comes back");
  }

  @Test
  void oversizedLocalDatagramsAreDropped() {
    DiscoverySettings small = new DiscoverySettings(true, WellKnownDiscovery.scope(), 100, 100, 8,
        DiscoverySettings.DEFAULT_RELAY_PORT);
    MemoryParty party = new MemoryParty(2, small);
    party.member(0).localSend(40000, "255.255.255.255", PORT, "123456789");
    party.member(0).localSend(40000, "255.255.255.255", PORT, "12345678");
    party.pump();
    assertEquals(1, party.member(1).delivered.size());
    assertEquals(1, party.member(0).relay.stats().dropped());
  }

  /**
   * Any number of members, all relaying, every delivery echoed back into capture, sends in any
   * order: each member receives each other member's datagrams exactly once per send, never its own,
   * and the tunnel carries exactly (members - 1) datagrams per send.
   */
  @Property(tries = 200)
  void everySendReachesEachOtherMemberExactlyOnce(@ForAll @IntRange(min = 2, max = 7) int size,
      @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 6) Integer> senders,
      @ForAll boolean multicast) {
    MemoryParty party = new MemoryParty(size, GENEROUS);
    Map<Integer, Integer> sent = new HashMap<>();
    for (int s : senders) {
      int sender = s % size;
      int seq = sent.merge(sender, 1, Integer::sum) - 1;
      party.member(sender).localSend(40000 + sender, multicast ? "224.0.2.60" : "255.255.255.255",
          multicast ? 4445 : PORT, sender + "-" + seq);
    }
    int carried = party.pump();
    assertEquals(senders.size() * (size - 1), carried, "datagrams through the tunnel");
    for (int m = 0; m < size; m++) {
      String own = m + "-";
      Map<String, Integer> got = new HashMap<>();
      for (LanDatagram d : party.member(m).delivered) {
        got.merge(new String(d.payload()), 1, Integer::sum);
        int from = Integer.parseInt(new String(d.payload()).split("-")[0]);
        assertEquals(party.member(from).virtualIp, d.sourceIp());
        assertEquals(40000 + from, d.sourcePort());
      }
      int expected = senders.size() - sent.getOrDefault(m, 0);
      assertEquals(expected, got.size(), "member " + m + " distinct datagrams");
      assertTrue(got.values().stream().allMatch(c -> c == 1), "member " + m + " duplicates: " + got);
      assertTrue(got.keySet().stream().noneMatch(p -> p.startsWith(own)), "member " + m + " got its own back");
      assertEquals((long) sent.getOrDefault(m, 0), party.member(m).relay.stats().relayed());
    }
  }
}
