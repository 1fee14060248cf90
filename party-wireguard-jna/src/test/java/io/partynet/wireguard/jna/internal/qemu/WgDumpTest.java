package io.partynet.wireguard.jna.internal.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The {@code wg show dump} codec the qemu test compares with. */
class WgDumpTest {

  // Printed by `wg show wg0 dump` (wireguard-tools 1.0.20210914, Debian 12) in the test guest for
  // throwaway keys; the interface line, then an IPv4-endpoint and an IPv6-endpoint peer.
  private static final String LARGE_SAMPLE = String.join("\n",
      "8L8nQWlB3XgJ16QRwCsx/zVWFP5rPyy9CNXs9kYAC2g=\t58/5kdM5HFUxZyhbJJTPufx8hOAFLL0n/wPl5rMQ0BQ=\t51820\t0x2a51",
      "FLYqp9ARIX+TeQkDSMRuxtPzrkOurkgM1kEVI7NwKYs=\tn0nThOmlJRKZAZp9E4AkWtyHfLOuPQoZC5rm4C8EkEc=\t203.0.113.1:10000"
          + "\t10.100.0.0/24,10.200.0.0/32,fd00::/64,2001:db8:1::/128\t0\t0\t0\t1",
      "qlI+i9IE/0AQH9y852Pul2o59usFbpxdZqT1q4gL5W8=\t(none)\t[2001:db8:2::2]:20001"
          + "\t10.100.1.0/24,10.200.0.1/32,fd00:0:0:1::/64,2001:db8:1::1/128\t0\t0\t0\toff", "");

  // Printed by `wg show wgb dump` in the guest after the ping over the tunnel.
  private static final String TUNNEL_SAMPLE = String.join("\n",
      "GCw1A0jN1v+mTvkFs/WVtKnW6k0tbvxIZyt6vY/NSEQ=\tRRgBuaDyOU6WAHYfVayOZCqwyzqOgfOo3FV0Lz1xT20=\t51822\toff",
      "4yMTMDkwGDZ5rO5Ychd2+wLxV6QyuDw5AdQoBbGva2M=\t(none)\t198.51.100.1:51821\t10.77.0.1/32\t1795561799\t532\t476\toff",
      "");

  @Test
  void parsesWhatWgPrintsForALargeConfiguration() {
    WgDump dump = WgDump.parse(LARGE_SAMPLE);
    assertEquals(Optional.of(Key.fromBase64("58/5kdM5HFUxZyhbJJTPufx8hOAFLL0n/wPl5rMQ0BQ=")), dump.publicKey());
    assertEquals(51820, dump.listenPort());
    assertEquals(0x2a51, dump.fwmark());
    assertEquals(2, dump.peers().size());
    WgDump.Peer first = dump.peers().get(0);
    assertEquals(Optional.of(Key.fromBase64("n0nThOmlJRKZAZp9E4AkWtyHfLOuPQoZC5rm4C8EkEc=")), first.presharedKey());
    assertEquals(Optional.of(new Endpoint("203.0.113.1", 10000)), first.endpoint());
    assertEquals(List.of(IpPrefix.parse("10.100.0.0/24"), IpPrefix.parse("10.200.0.0/32"),
        IpPrefix.parse("fd00::/64"), IpPrefix.parse("2001:db8:1::/128")), first.allowedIps());
    assertEquals(OptionalInt.of(1), first.persistentKeepalive());
    WgDump.Peer second = dump.peers().get(1);
    assertEquals(Optional.empty(), second.presharedKey());
    assertEquals(Optional.of(new Endpoint("2001:db8:2::2", 20001)), second.endpoint());
    assertEquals(OptionalInt.empty(), second.persistentKeepalive());
  }

  /** IPv6 allowed IPs and endpoints in the RFC 5952 text wg prints ({@code fd00:0:0:1::/64}). */
  @Test
  void peerLinesAreWrittenAsWgPrintsThem() {
    List<String> lines = List.of(LARGE_SAMPLE.split("\n"));
    List<WgDump.Peer> peers = WgDump.parse(LARGE_SAMPLE).peers();
    assertEquals(lines.get(1), peers.get(0).format());
    assertEquals(lines.get(2), peers.get(1).format());
  }

  @Test
  void parsesHandshakeAndCounters() {
    WgDump.Peer peer = WgDump.parse(TUNNEL_SAMPLE).peers().get(0);
    assertEquals(1795561799L, peer.latestHandshakeSeconds());
    assertEquals(532, peer.rxBytes());
    assertEquals(476, peer.txBytes());
    assertEquals(0, WgDump.parse(TUNNEL_SAMPLE).fwmark());
  }

  @Test
  void configurationDropsHandshakeAndCountersOnly() {
    WgDump dump = WgDump.parse(TUNNEL_SAMPLE);
    WgDump.Peer peer = dump.configuration().peers().get(0);
    assertEquals(List.of(0L, 0L, 0L), List.of(peer.latestHandshakeSeconds(), peer.rxBytes(), peer.txBytes()));
    assertEquals(dump.peers().get(0).endpoint(), peer.endpoint());
    assertEquals(dump.peers().get(0).allowedIps(), peer.allowedIps());
  }

  @Test
  void refusesAShortLine() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WgDump.parse(TUNNEL_SAMPLE.replace("\toff\n", "\n")));
    assertEquals(true, e.getMessage().startsWith("not a wg show dump line"), e.getMessage());
  }

  @Property(tries = 200)
  void parseOfFormatIsIdentity(@ForAll("dumps") WgDump dump) {
    assertEquals(dump, WgDump.parse(dump.format()));
  }

  @Property(tries = 500)
  void garbageOnlyRaisesIllegalArgument(@ForAll("garbage") String text) {
    try {
      WgDump.parse(text);
    } catch (IllegalArgumentException expected) {
      // the only failure allowed
    }
  }

  @Provide
  Arbitrary<String> garbage() {
    Arbitrary<String> fields = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(50),
        Arbitraries.of("(none)", "off", "0x", "0xffffffff", "1.2.3.4:5", "[::1]:7", "10.0.0.0/33", "-1", "65536",
            "8L8nQWlB3XgJ16QRwCsx/zVWFP5rPyy9CNXs9kYAC2g="));
    Arbitrary<String> line = fields.list().ofMaxSize(9).map(list -> String.join("\t", list));
    return line.list().ofMaxSize(4).map(list -> String.join("\n", list));
  }

  @Provide
  Arbitrary<WgDump> dumps() {
    Arbitrary<Optional<Key>> maybeKey = keys().optional();
    return Combinators.combine(maybeKey, maybeKey, Arbitraries.integers().between(0, 65535),
        Arbitraries.integers(), peers().list().ofMaxSize(5)).as(WgDump::new);
  }

  private Arbitrary<WgDump.Peer> peers() {
    Arbitrary<Long> counters = Arbitraries.longs().greaterOrEqual(0);
    Arbitrary<OptionalInt> keepalive = Arbitraries.integers().between(1, 65535).optional()
        .map(value -> value.map(OptionalInt::of).orElse(OptionalInt.empty()));
    return Combinators.combine(keys(), keys().optional(), endpoints().optional(), prefixes().list().ofMaxSize(4),
        counters, counters, counters, keepalive).as(WgDump.Peer::new);
  }

  private static Arbitrary<Key> keys() {
    return Arbitraries.bytes().array(byte[].class).ofSize(Key.LENGTH).map(Key::fromBytes);
  }

  private static Arbitrary<Endpoint> endpoints() {
    return Combinators.combine(addresses(), Arbitraries.integers().between(1, 65535)).as(Endpoint::new);
  }

  private static Arbitrary<IpPrefix> prefixes() {
    return addresses().flatMap(address -> Arbitraries.integers().between(0, address.contains(":") ? 128 : 32)
        .map(length -> new IpPrefix(address, length)));
  }

  private static Arbitrary<String> addresses() {
    Arbitrary<String> v4 = Arbitraries.integers().between(0, 255).list().ofSize(4)
        .map(octets -> octets.stream().map(String::valueOf).reduce((a, b) -> a + "." + b).orElseThrow());
    Arbitrary<String> v6 = Arbitraries.integers().between(0, 0xffff).list().ofSize(8)
        .map(groups -> groups.stream().map(Integer::toHexString).reduce((a, b) -> a + ":" + b).orElseThrow());
    return Arbitraries.oneOf(v4, v6);
  }
}
