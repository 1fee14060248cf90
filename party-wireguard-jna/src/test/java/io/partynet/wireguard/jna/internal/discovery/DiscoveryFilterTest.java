package io.partynet.wireguard.jna.internal.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.core.internal.discovery.Ipv4;
import io.partynet.core.internal.discovery.WellKnownDiscovery;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class DiscoveryFilterTest {
  private static final Set<Integer> PORTS = WellKnownDiscovery.scope().allPorts();

  @Test
  void encodesStructSockFilterInNativeOrder() {
    byte[] bytes = DiscoveryFilter.encode(List.of(new DiscoveryFilter.Instruction(0x15, 2, 7, 17)));
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    assertEquals(8, bytes.length);
    assertEquals(0x15, b.getShort(0));
    assertEquals(2, bytes[2]);
    assertEquals(7, bytes[3]);
    assertEquals(17, b.getInt(4));
  }

  @Test
  void portsMergeIntoRanges() {
    List<int[]> ranges = DiscoveryFilter.ranges(List.of(5, 3, 4, 9, 11, 10, 20));
    assertEquals("[3-5, 9-11, 20-20]", ranges.stream().map(r -> r[0] + "-" + r[1]).toList().toString());
  }

  @Test
  void acceptsTheBuiltInTablesDiscoveryAndNothingElse() {
    List<DiscoveryFilter.Instruction> program = DiscoveryFilter.program(PORTS);
    assertTrue(accepts(program, packet("255.255.255.255", 27015, 17, 0), 4));
    assertTrue(accepts(program, packet("192.168.1.255", 6112, 17, 0), 4));
    assertTrue(accepts(program, packet("224.0.2.60", 4445, 17, 0), 4));
    assertEquals(false, accepts(program, packet("224.0.2.60", 4445, 17, 0), 0), "received, not sent");
    assertEquals(false, accepts(program, packet("192.168.1.20", 27015, 17, 0), 4), "unicast");
    assertEquals(false, accepts(program, packet("255.255.255.255", 27014, 17, 0), 4), "other port");
    assertEquals(false, accepts(program, packet("255.255.255.255", 27015, 6, 0), 4), "TCP");
    assertEquals(false, accepts(program, packet("255.255.255.255", 27015, 17, 100), 4), "a later fragment");
  }

  @Test
  void tooManyRangesFallBackToAnyPort() {
    List<Integer> scattered = IntStream.range(0, DiscoveryFilter.MAX_RANGES + 1).map(i -> 1000 + 2 * i).boxed().toList();
    List<DiscoveryFilter.Instruction> program = DiscoveryFilter.program(scattered);
    assertTrue(accepts(program, packet("255.255.255.255", 1, 17, 0), 4));
    assertEquals(false, accepts(program, packet("10.0.0.1", 1000, 17, 0), 4));
  }

  /** The filter accepts exactly what the reference predicate says, for any scope and packet. */
  @Property(tries = 500)
  void matchesTheReferencePredicate(@ForAll @Size(max = 150) Set<@IntRange(min = 1, max = 400) Integer> ports,
      @ForAll("destinations") int destination, @ForAll @IntRange(min = 1, max = 400) int port,
      @ForAll("protocols") int protocol, @ForAll("fragments") int fragment, @ForAll("packetTypes") int packetType) {
    List<DiscoveryFilter.Instruction> program = DiscoveryFilter.program(ports);
    boolean anyPort = DiscoveryFilter.ranges(ports).size() > DiscoveryFilter.MAX_RANGES;
    boolean discoveryAddress = Integer.compareUnsigned(destination, 0xE0000000) >= 0 || (destination & 0xFF) == 0xFF;
    boolean expected = packetType == 4 && protocol == 17 && (fragment & 0x1FFF) == 0 && discoveryAddress
        && (anyPort || ports.contains(port));
    assertEquals(expected, accepts(program, packet(Ipv4.format(destination), port, protocol, fragment), packetType),
        () -> "ports " + new TreeSet<>(ports) + " packet to " + Ipv4.format(destination) + ":" + port);
  }

  @Provide
  Arbitrary<Integer> destinations() {
    return Arbitraries.oneOf(Arbitraries.of(0xFFFFFFFF, 0xC0A801FF, 0xE000023C, 0xC0A80114, 0x0A4D0001),
        Arbitraries.integers().between(Integer.MIN_VALUE, Integer.MAX_VALUE));
  }

  @Provide
  Arbitrary<Integer> protocols() {
    return Arbitraries.of(17, 6, 1);
  }

  @Provide
  Arbitrary<Integer> fragments() {
    return Arbitraries.of(0, 0x4000, 0x2000, 0x0001, 0x2010);
  }

  @Provide
  Arbitrary<Integer> packetTypes() {
    return Arbitraries.of(0, 1, 2, 3, 4);
  }

  private static boolean accepts(List<DiscoveryFilter.Instruction> program, byte[] packet, int packetType) {
    return ClassicBpf.run(program, packet, packetType, DiscoveryFilter.ETH_P_IP) != 0;
  }

  /** An IPv4 header with options (24 bytes) then UDP, so the port is read through the header length. */
  private static byte[] packet(String destination, int port, int protocol, int fragment) {
    ByteBuffer b = ByteBuffer.allocate(24 + 8 + 4);
    b.put((byte) 0x46).put((byte) 0).putShort((short) 36).putShort((short) 0).putShort((short) fragment)
        .put((byte) 64).put((byte) protocol).putShort((short) 0).putInt(Ipv4.parse("192.168.1.7"))
        .putInt(Ipv4.parse(destination)).putInt(0);
    b.putShort((short) 40000).putShort((short) port).putShort((short) 12).putShort((short) 0).putInt(0);
    return b.array();
  }
}
