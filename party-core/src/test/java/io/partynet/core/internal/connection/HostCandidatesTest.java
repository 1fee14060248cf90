package io.partynet.core.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Endpoint;
import io.partynet.spi.Signal;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class HostCandidatesTest {
  private static final Endpoint PUBLIC = Endpoint.parse("203.0.113.1:40000");

  private static HostCandidates.LocalAddress local(String address, int prefix) throws Exception {
    return new HostCandidates.LocalAddress(InetAddress.getByName(address), prefix);
  }

  @Test
  void aLanAddressIsChosenBehindOnePublicAddressAndIpv6WhenBothHaveIt() throws Exception {
    List<HostCandidates.LocalAddress> mine = List.of(local("10.1.0.2", 24), local("2001:db8:1::2", 64));
    List<Endpoint> theirs = List.of(Endpoint.parse("[2001:db8:2::3]:51820"), Endpoint.parse("10.1.0.3:51820"));
    assertEquals(Optional.of(new HostCandidates.Choice(Endpoint.parse("10.1.0.3:51820"), PathKind.LAN)),
        HostCandidates.choose(mine, PUBLIC, theirs, Endpoint.parse("203.0.113.1:41000")));
    assertEquals(Optional.of(new HostCandidates.Choice(Endpoint.parse("[2001:db8:2::3]:51820"), PathKind.IPV6)),
        HostCandidates.choose(mine, PUBLIC, theirs, Endpoint.parse("198.51.100.9:41000")),
        "another home with the same LAN numbering: IPv6, not the LAN");
    assertEquals(Optional.of(new HostCandidates.Choice(Endpoint.parse("10.1.0.3:51820"), PathKind.LAN)),
        HostCandidates.choose(mine, null, theirs, null), "no public endpoints at all (no STUN): the LAN");
    assertEquals(Optional.empty(), HostCandidates.choose(List.of(local("10.1.0.2", 24)), null, theirs,
        Endpoint.parse("198.51.100.9:41000")), "the peer has a public endpoint we cannot compare: aim there");
    assertEquals(Optional.empty(), HostCandidates.choose(List.of(local("10.1.0.2", 24)), PUBLIC, theirs,
        Endpoint.parse("198.51.100.9:41000")), "no global IPv6 of ours");
    assertEquals(Optional.empty(), HostCandidates.choose(List.of(local("fd00::2", 64)), PUBLIC,
        List.of(Endpoint.parse("[fd00::3]:51820")), Endpoint.parse("198.51.100.9:41000")), "ULA is not global");
  }

  @Property
  void anAddressIsInItsOwnSubnetAndNotInTheNeighbouringOne(@ForAll int raw, @ForAll @IntRange(min = 1, max = 31) int prefix)
      throws Exception {
    byte[] bytes = {(byte) (raw >>> 24), (byte) (raw >>> 16), (byte) (raw >>> 8), (byte) raw};
    HostCandidates.LocalAddress mine = new HostCandidates.LocalAddress(InetAddress.getByAddress(bytes), prefix);
    int flipped = raw ^ (1 << (32 - prefix));
    byte[] other = {(byte) (flipped >>> 24), (byte) (flipped >>> 16), (byte) (flipped >>> 8), (byte) flipped};
    int hostBit = raw ^ (prefix == 32 ? 0 : 1);
    byte[] sameNet = {(byte) (hostBit >>> 24), (byte) (hostBit >>> 16), (byte) (hostBit >>> 8), (byte) hostBit};
    assertFalse(mine.sameSubnet(InetAddress.getByAddress(other)), "the last prefix bit differs");
    assertTrue(mine.sameSubnet(InetAddress.getByAddress(sameNet)), "only a host bit differs");
  }

  /**
   * A WireGuard bound to one address (the embedded backend's bind address) is reached there only:
   * the demo's members, bound to 127.0.0.1, offered the machine's other addresses and each spent
   * three seconds on a LAN candidate nobody listened on.
   */
  @Test
  void onlyTheAddressWireGuardIsBoundToIsACandidate() throws Exception {
    List<HostCandidates.LocalAddress> mine = List.of(local("192.0.2.2", 24), local("10.1.0.2", 24));
    assertEquals(mine, HostCandidates.listenedOn(mine, Optional.empty()));
    assertEquals(mine, HostCandidates.listenedOn(mine, Optional.of(InetAddress.getByName("0.0.0.0"))));
    assertEquals(List.of(local("10.1.0.2", 24)), HostCandidates.listenedOn(mine, Optional.of(InetAddress.getByName("10.1.0.2"))));
    assertEquals(List.of(), HostCandidates.listenedOn(mine, Optional.of(InetAddress.getLoopbackAddress())));
  }

  @Test
  void theSignalCarriesAtMostEightUsableCandidates() {
    List<Endpoint> many = new java.util.ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      many.add(Endpoint.parse("10.0.0." + i + ":51820"));
    }
    Signal signal = PartySignals.candidates("p", "a", "b", many);
    assertEquals(many.subList(0, HostCandidates.MAX), PartySignals.hostCandidates(signal));

    Signal hostile = new Signal("p", "a", "b", PartySignals.CANDIDATES, Map.of("host-0", "0.0.0.0:1",
        "host-1", "224.0.0.1:5", "host-2", "not an endpoint", "host-3", "127.0.0.1:9", "host-4", "10.0.0.9:51820"));
    assertEquals(List.of(Endpoint.parse("10.0.0.9:51820")), PartySignals.hostCandidates(hostile));
  }
}
