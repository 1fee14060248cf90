package io.partynet.wireguard.embedded.internal.ip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.wireguard.embedded.internal.stack.ipv4.Ipv4;
import java.util.Arrays;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The IPv4/UDP codec: layout, round trips, corruption and random input (the checksum vectors are Ipv4Test's). */
class Ipv4UdpTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void builtPacketHasTheExpectedLayout() {
    byte[] out = new byte[100];
    int n = Ipv4Udp.build(out, Ipv4Udp.parseAddress("10.77.0.1"), Ipv4Udp.parseAddress("10.77.0.2"), 5000, 6000, 1,
        "hi".getBytes(), 0, 2);
    assertEquals(30, n);
    // version/IHL, TOS, total length 30, id 1, DF, TTL 64, UDP, (checksum), src, dst
    assertEquals("4500001e000140004011", HEX.formatHex(out, 0, 10));
    assertEquals("0a4d00010a4d0002", HEX.formatHex(out, 12, 20));
    // src port 5000, dst port 6000, UDP length 10
    assertEquals("13881770000a", HEX.formatHex(out, 20, 26));
    assertEquals(0, Ipv4.checksum(out, 0, 20, 0), "IP header checksum must verify");
    Ipv4Udp.Parsed p = new Ipv4Udp.Parsed();
    assertTrue(Ipv4Udp.tryParse(out, 0, n, p));
  }

  @Property(tries = 300)
  void parseOfBuildIsIdentity(@ForAll int src, @ForAll int dst, @ForAll @IntRange(min = 0, max = 65535) int sport,
      @ForAll @IntRange(min = 0, max = 65535) int dport, @ForAll @Size(max = 1392) byte[] payload) {
    byte[] out = new byte[1420];
    int n = Ipv4Udp.build(out, src, dst, sport, dport, 7, payload, 0, payload.length);
    Ipv4Udp.Parsed p = new Ipv4Udp.Parsed();
    assertTrue(Ipv4Udp.tryParse(out, 0, n, p));
    assertEquals(src, p.sourceIp);
    assertEquals(dst, p.destinationIp);
    assertEquals(sport, p.sourcePort);
    assertEquals(dport, p.destinationPort);
    assertArrayEquals(payload, Arrays.copyOfRange(out, p.payloadOffset, p.payloadOffset + p.payloadLength));
  }

  @Property(tries = 300)
  void anySingleBitFlipOutsideTheUdpChecksumIsDetected(@ForAll @Size(min = 1, max = 200) byte[] payload,
      @ForAll @IntRange(min = 0, max = 10_000) int where) {
    byte[] out = new byte[400];
    int n = Ipv4Udp.build(out, 0x0a000001, 0x0a000002, 1234, 4321, 9, payload, 0, payload.length);
    int bit = where % (n * 8);
    int index = bit / 8;
    if (index == 26 || index == 27) {
      return;
    }
    out[index] ^= (byte) (1 << (bit % 8));
    Ipv4Udp.Parsed p = new Ipv4Udp.Parsed();
    assertFalse(Ipv4Udp.tryParse(out, 0, n, p), "bit " + bit + " flipped undetected");
  }

  @Property(tries = 1000)
  void randomBytesNeverThrow(@ForAll @Size(max = 100) byte[] junk, @ForAll @IntRange(min = 0, max = 120) int length) {
    Ipv4Udp.Parsed p = new Ipv4Udp.Parsed();
    if (Ipv4Udp.tryParse(junk, 0, Math.min(length, junk.length), p)) {
      assertTrue(p.payloadOffset + p.payloadLength <= junk.length);
    }
  }

  @Test
  void fragmentsAndOtherProtocolsAreRefused() {
    byte[] out = new byte[64];
    int n = Ipv4Udp.build(out, 1, 2, 3, 4, 5, new byte[4], 0, 4);
    byte[] fragment = out.clone();
    fragment[6] = 0x20;
    fixHeaderChecksum(fragment);
    assertFalse(Ipv4Udp.tryParse(fragment, 0, n, new Ipv4Udp.Parsed()));
    byte[] tcp = out.clone();
    tcp[9] = 6;
    fixHeaderChecksum(tcp);
    assertFalse(Ipv4Udp.tryParse(tcp, 0, n, new Ipv4Udp.Parsed()));
    assertFalse(Ipv4Udp.tryParse(out, 0, n - 1, new Ipv4Udp.Parsed()), "truncated packet accepted");
  }

  private static void fixHeaderChecksum(byte[] packet) {
    packet[10] = 0;
    packet[11] = 0;
    int c = Ipv4.checksum(packet, 0, 20, 0);
    packet[10] = (byte) (c >>> 8);
    packet[11] = (byte) c;
  }
}
