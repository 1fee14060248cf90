package io.partynet.wireguard.jna.internal.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.core.internal.discovery.Ipv4;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class UdpPacketTest {
  @Test
  void buildsAValidHeaderWithBothChecksums() {
    UdpPacket p = new UdpPacket(Ipv4.parse("10.77.0.1"), Ipv4.LIMITED_BROADCAST, 40000, 27015, "hello".getBytes());
    byte[] bytes = p.build();
    assertEquals(0x45, bytes[0]);
    assertEquals(33, bytes.length);
    assertEquals(0, UdpPacket.checksum(bytes, 0, 20, 0), "an intact IPv4 header sums to 0 (RFC 1071)");
    long pseudo = (0x0A4D + 0x0001) + (0xFFFF + 0xFFFF) + 17 + 13;
    assertEquals(0, UdpPacket.checksum(bytes, 20, 13, pseudo), "UDP over the pseudo-header sums to 0 (RFC 768)");
    assertEquals(Optional.of(p), UdpPacket.parse(bytes, bytes.length));
  }

  @Test
  void refusesFragmentsOtherProtocolsAndBadLengths() {
    byte[] good = new UdpPacket(Ipv4.parse("10.77.0.1"), Ipv4.parse("224.0.2.60"), 1, 4445, new byte[8]).build();
    assertTrue(UdpPacket.parse(good, good.length).isPresent());
    assertTrue(UdpPacket.parse(with(good, 6, 0x20), good.length).isEmpty(), "more fragments");
    assertTrue(UdpPacket.parse(with(good, 7, 1), good.length).isEmpty(), "fragment offset");
    assertTrue(UdpPacket.parse(with(good, 9, 6), good.length).isEmpty(), "TCP");
    assertTrue(UdpPacket.parse(with(good, 0, 0x65), good.length).isEmpty(), "IPv6 version");
    assertTrue(UdpPacket.parse(with(good, 0, 0x44), good.length).isEmpty(), "header shorter than 20");
    assertTrue(UdpPacket.parse(good, good.length - 1).isEmpty(), "cut short");
    assertTrue(UdpPacket.parse(with(good, 25, 200), good.length).isEmpty(), "UDP length beyond the packet");
  }

  @Property
  void roundTrips(@ForAll int source, @ForAll int destination, @ForAll @IntRange(min = 1, max = 65535) int sourcePort,
      @ForAll @IntRange(min = 1, max = 65535) int destinationPort, @ForAll @Size(max = 1400) byte[] payload) {
    UdpPacket p = new UdpPacket(source, destination, sourcePort, destinationPort, payload);
    byte[] bytes = p.build();
    assertEquals(Optional.of(p), UdpPacket.parse(bytes, bytes.length));
    assertEquals(0, UdpPacket.checksum(bytes, 0, 20, 0));
  }

  @Property
  void randomBytesNeverThrow(@ForAll @Size(max = 80) byte[] bytes, @ForAll @IntRange(min = 0, max = 80) int length) {
    UdpPacket.parse(bytes, Math.min(length, bytes.length)).ifPresent(p -> assertTrue(p.payload().length <= bytes.length));
  }

  private static byte[] with(byte[] bytes, int index, int value) {
    byte[] copy = bytes.clone();
    copy[index] = (byte) value;
    return copy;
  }
}
