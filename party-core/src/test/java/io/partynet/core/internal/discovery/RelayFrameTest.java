package io.partynet.core.internal.discovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RelayFrameTest {
  private static final int MAX = DiscoverySettings.MAX_PAYLOAD;

  @Test
  void encodesTheDocumentedLayout() {
    RelayFrame frame = new RelayFrame(true, Ipv4.parse("224.0.2.60"), 4445, 50000, new byte[] {'h', 'i'});
    // "PD", version 1, kind 1 (multicast), 224.0.2.60, port 4445, source port 50000, payload "hi"
    assertEquals("50440101e000023c115dc3506869", HexFormat.of().formatHex(frame.encode()));
  }

  @Test
  void aCapturedSubnetBroadcastTravelsAsTheLimitedBroadcast() {
    RelayFrame frame = RelayFrame.of(new LanDatagram("192.168.1.7", 40000, "192.168.1.255", 27015, new byte[3]));
    assertEquals(Ipv4.LIMITED_BROADCAST, frame.destinationIp());
    assertEquals(false, frame.multicast());
  }

  @Test
  void refusesWhatIsNotAFrame() {
    byte[] good = new RelayFrame(false, Ipv4.LIMITED_BROADCAST, 6112, 6112, new byte[4]).encode();
    assertMalformed(Arrays.copyOf(good, 11));
    assertMalformed(with(good, 0, 'X'));
    assertMalformed(with(good, 2, 2));
    assertMalformed(with(good, 3, 7));
    assertMalformed(with(good, 4, 10)); // broadcast kind with a unicast destination
    assertMalformed(with(with(good, 3, 1), 4, 255)); // multicast kind with 255.255.255.255
    assertMalformed(with(with(good, 8, 0), 9, 0)); // destination port 0
    assertMalformed(with(with(good, 10, 0), 11, 0)); // source port 0
    assertThrows(MalformedFrameException.class, () -> RelayFrame.decode(good, 3));
  }

  @Property
  void roundTrips(@ForAll("frames") RelayFrame frame) throws MalformedFrameException {
    assertEquals(frame, RelayFrame.decode(frame.encode(), MAX));
  }

  @Property
  void randomBytesOnlyEverRaiseTheTypedError(@ForAll @Size(max = 64) byte[] bytes) {
    try {
      RelayFrame frame = RelayFrame.decode(bytes, MAX);
      assertArrayEquals(bytes, frame.encode());
    } catch (MalformedFrameException expected) {
      // refused, as it should be
    }
  }

  @Property
  void mutatedFramesDecodeToValidFramesOrAreRefused(@ForAll("frames") RelayFrame frame,
      @ForAll @IntRange(min = 0, max = 11) int index, @ForAll byte value) {
    byte[] bytes = with(frame.encode(), index, value);
    try {
      assertArrayEquals(bytes, RelayFrame.decode(bytes, MAX).encode());
    } catch (MalformedFrameException expected) {
      // refused
    }
  }

  @Property
  void payloadsOverTheLimitAreRefused(@ForAll @IntRange(min = 0, max = 200) int limit,
      @ForAll @IntRange(min = 1, max = 50) int over) {
    byte[] bytes = new RelayFrame(false, Ipv4.LIMITED_BROADCAST, 1, 1, new byte[limit + over]).encode();
    assertThrows(MalformedFrameException.class, () -> RelayFrame.decode(bytes, limit));
  }

  @Provide
  Arbitrary<RelayFrame> frames() {
    Arbitrary<Integer> groups = Arbitraries.integers().between(0, 0x0FFFFFFF).map(low -> 0xE0000000 | low);
    Arbitrary<Boolean> multicast = Arbitraries.of(true, false);
    Arbitrary<Integer> ports = Arbitraries.integers().between(1, 65535);
    Arbitrary<byte[]> payloads = Arbitraries.bytes().array(byte[].class).ofMaxSize(MAX);
    return Combinators.combine(multicast, groups, ports, ports, payloads)
        .as((m, group, dst, src, payload) -> new RelayFrame(m, m ? group : Ipv4.LIMITED_BROADCAST, dst, src, payload));
  }

  private static byte[] with(byte[] bytes, int index, int value) {
    byte[] copy = bytes.clone();
    copy[index] = (byte) value;
    return copy;
  }

  private static void assertMalformed(byte[] bytes) {
    assertThrows(MalformedFrameException.class, () -> RelayFrame.decode(bytes, MAX));
  }
}
