package io.partynet.wireguard.embedded.internal.ip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.partynet.IpPrefix;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Longest-prefix match of the trie against a naive scan of every prefix. */
class AllowedIpsTest {
  record Route(IpPrefix prefix, String peer) {}

  @Provide
  Arbitrary<List<Route>> routes() {
    Arbitrary<IpPrefix> prefix = Combinators.combine(Arbitraries.integers().between(0, 255),
        Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 32))
        .as((a, b, c, len) -> new IpPrefix("10." + b + "." + a + "." + c, len));
    Arbitrary<String> peer = Arbitraries.of("p1", "p2", "p3", "p4");
    return Combinators.combine(prefix, peer).as(Route::new).list().ofMaxSize(40);
  }

  @Provide
  Arbitrary<List<String>> addresses() {
    return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 255),
        Arbitraries.integers().between(0, 255)).as((b, c, d) -> "10." + b + "." + c + "." + d).list().ofSize(50);
  }

  @Property(tries = 300)
  void longestPrefixMatchesTheNaiveReference(@ForAll("routes") List<Route> routes,
      @ForAll("addresses") List<String> addresses) {
    AllowedIps<String> table = new AllowedIps<>();
    Map<String, Route> reference = new LinkedHashMap<>();
    for (Route r : routes) {
      table.insert(r.prefix, r.peer);
      reference.put(r.prefix.network().toString(), r);
    }
    for (String address : addresses) {
      String expected = null;
      int best = -1;
      for (Route r : reference.values()) {
        if (r.prefix.network().contains(address) && r.prefix.prefixLength() > best) {
          best = r.prefix.prefixLength();
          expected = r.peer;
        }
      }
      byte[] bytes = new IpPrefix(address, 32).addressBytes();
      assertEquals(expected, table.lookup(bytes, 0, 4), "lookup " + address);
      assertEquals(expected, table.lookupIpv4(Ipv4Udp.parseAddress(address)), "lookupIpv4 " + address);
    }
  }

  @Test
  void removeAndIpv6() {
    AllowedIps<String> table = new AllowedIps<>();
    table.insert(IpPrefix.parse("10.0.0.0/8"), "wide");
    table.insert(IpPrefix.parse("10.1.0.0/16"), "narrow");
    table.insert(IpPrefix.parse("fd00::/64"), "v6");
    assertEquals("narrow", table.lookupIpv4(Ipv4Udp.parseAddress("10.1.2.3")));
    table.removeValue("narrow");
    assertEquals("wide", table.lookupIpv4(Ipv4Udp.parseAddress("10.1.2.3")));
    assertEquals("v6", table.lookup(IpPrefix.parse("fd00::1234").addressBytes(), 0, 16));
    assertNull(table.lookup(IpPrefix.parse("fd01::1").addressBytes(), 0, 16));
    assertNull(table.lookupIpv4(Ipv4Udp.parseAddress("11.0.0.1")));
  }
}
