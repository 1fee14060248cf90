package io.partynet.wireguard.embedded.internal.stack.ipv4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The IPv4 header codec and the checksum: published vectors, a naive model, corruption, random input. */
class Ipv4Test {
  private static final HexFormat HEX = HexFormat.of();

  /** RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2, so the checksum is 220d. */
  @Test
  void rfc1071Example() {
    assertEquals(0x220d, Ipv4.checksum(HEX.parseHex("0001f203f4f5f6f7"), 0, 8, 0));
  }

  /** The header of Wikipedia's "IPv4 header checksum" example: checksum b861, and it verifies to 0. */
  @Test
  void parsesTheTextbookHeader() {
    byte[] header = HEX.parseHex("450000730000400040110000c0a80001c0a800c7");
    assertEquals(0xb861, Ipv4.checksum(header, 0, 20, 0));
    header[10] = (byte) 0xb8;
    header[11] = 0x61;
    byte[] packet = new byte[0x73];
    System.arraycopy(header, 0, packet, 0, 20);
    Ipv4.Header h = new Ipv4.Header();
    assertTrue(Ipv4.tryParse(packet, 0, packet.length, h));
    assertEquals(Ipv4.PROTOCOL_UDP, h.protocol);
    assertEquals(0xc0a80001, h.sourceIp);
    assertEquals(0xc0a800c7, h.destinationIp);
    assertFalse(h.isFragment());
  }

  @Property(tries = 300)
  void checksumEqualsANaiveSixteenBitSum(@ForAll @Size(max = 2000) byte[] data, @ForAll @IntRange(max = 0xffff) int initial) {
    long sum = initial;
    for (int i = 0; i < data.length; i += 2) {
      sum += ((data[i] & 0xff) << 8) | (i + 1 < data.length ? data[i + 1] & 0xff : 0);
    }
    while (sum >> 16 != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    assertEquals((int) (~sum & 0xffff), Ipv4.checksum(data, 0, data.length, initial));
  }

  @Property(tries = 200)
  void everySingleBitFlipInTheHeaderIsRefused(@ForAll int src, @ForAll int dst, @ForAll @IntRange(max = 159) int bit) {
    byte[] packet = new byte[40];
    Ipv4.writeHeader(packet, 0, 40, 7, Ipv4.PROTOCOL_TCP, src, dst);
    Ipv4.Header h = new Ipv4.Header();
    assertTrue(Ipv4.tryParse(packet, 0, 40, h));
    packet[bit / 8] ^= (byte) (1 << (bit % 8));
    boolean parsed = Ipv4.tryParse(packet, 0, 40, h);
    assertFalse(parsed && h.sourceIp == src && h.destinationIp == dst && h.protocol == Ipv4.PROTOCOL_TCP
        && h.totalLength == 40 && h.identification == 7, "a flipped bit went unnoticed");
  }

  @Property(tries = 500)
  void randomBytesNeverThrow(@ForAll @Size(max = 100) byte[] junk, @ForAll @IntRange(max = 120) int length) {
    Ipv4.tryParse(junk, 0, Math.min(length, junk.length), new Ipv4.Header());
  }
}
