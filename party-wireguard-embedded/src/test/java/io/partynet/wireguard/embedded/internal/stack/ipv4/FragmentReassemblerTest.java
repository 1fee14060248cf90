package io.partynet.wireguard.embedded.internal.stack.ipv4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Reassembly in any order, and the limits: overlaps, timeouts, slots, size. */
class FragmentReassemblerTest {
  private static final long SECOND = 1_000_000_000L;
  private final List<byte[]> delivered = new ArrayList<>();
  private final FragmentReassembler.Output output = (p, o, l) -> delivered.add(Arrays.copyOfRange(p, o, o + l));

  /** Splits {@code payload} into fragments of {@code size} bytes (a multiple of 8) with IP headers. */
  private static List<byte[]> fragment(byte[] payload, int size, int id) {
    List<byte[]> out = new ArrayList<>();
    for (int offset = 0; offset < payload.length; offset += size) {
      int length = Math.min(size, payload.length - offset);
      byte[] packet = new byte[20 + length];
      Ipv4.writeHeader(packet, 0, packet.length, id, Ipv4.PROTOCOL_UDP, 0x0a000001, 0x0a000002);
      boolean more = offset + length < payload.length;
      Ipv4.putShort(packet, 6, (more ? Ipv4.FLAG_MORE_FRAGMENTS : 0) | (offset / 8));
      Ipv4.putShort(packet, 10, 0);
      Ipv4.putShort(packet, 10, Ipv4.checksum(packet, 0, 20, 0));
      System.arraycopy(payload, offset, packet, 20, length);
      out.add(packet);
    }
    return out;
  }

  private void feed(FragmentReassembler r, byte[] packet, long now) {
    Ipv4.Header h = new Ipv4.Header();
    assertTrue(Ipv4.tryParse(packet, 0, packet.length, h));
    r.accept(packet, 0, h, now, output);
  }

  @Property(tries = 100)
  void fragmentsInAnyOrderGiveTheDatagram(@ForAll long seed, @ForAll @IntRange(min = 1, max = 20000) int length,
      @ForAll @IntRange(min = 1, max = 180) int eighths) {
    delivered.clear();
    byte[] payload = new byte[length];
    Random random = new Random(seed);
    random.nextBytes(payload);
    List<byte[]> fragments = fragment(payload, eighths * 8, 42);
    Collections.shuffle(fragments, random);
    FragmentReassembler r = new FragmentReassembler(4, 30 * SECOND);
    fragments.forEach(f -> feed(r, f, 0));
    assertEquals(1, delivered.size());
    byte[] whole = delivered.get(0);
    Ipv4.Header h = new Ipv4.Header();
    assertTrue(Ipv4.tryParse(whole, 0, whole.length, h), "the rebuilt header verifies");
    assertEquals(20 + length, h.totalLength);
    assertTrue(!h.isFragment());
    assertArrayEquals(payload, Arrays.copyOfRange(whole, 20, whole.length));
  }

  @Test
  void anOverlapDropsTheDatagram() {
    byte[] payload = new byte[64];
    List<byte[]> fragments = fragment(payload, 16, 1);
    FragmentReassembler r = new FragmentReassembler(4, 30 * SECOND);
    feed(r, fragments.get(0), 0);
    feed(r, fragments.get(0), 0);
    fragments.subList(1, fragments.size()).forEach(f -> feed(r, f, 0));
    assertTrue(delivered.isEmpty());
    assertTrue(r.dropped() >= 1);
  }

  @Test
  void incompleteDatagramsTimeOutAndSlotsAreBounded() {
    FragmentReassembler r = new FragmentReassembler(2, 30 * SECOND);
    for (int id = 0; id < 5; id++) {
      feed(r, fragment(new byte[64], 16, id).get(0), 0);
    }
    assertEquals(3, r.dropped(), "two slots; three more datagrams have no room");
    r.expire(31 * SECOND);
    assertEquals(2, r.timedOut());
    List<byte[]> fresh = fragment(new byte[64], 16, 99);
    fresh.forEach(f -> feed(r, f, 32 * SECOND));
    assertEquals(1, delivered.size(), "expired slots are free again");
  }

  @Test
  void aDatagramBeyond65535BytesIsRefused() {
    byte[] packet = fragment(new byte[16], 16, 5).get(0);
    Ipv4.putShort(packet, 6, Ipv4.FLAG_MORE_FRAGMENTS | (65528 / 8));
    Ipv4.putShort(packet, 10, 0);
    Ipv4.putShort(packet, 10, Ipv4.checksum(packet, 0, 20, 0));
    FragmentReassembler r = new FragmentReassembler(2, 30 * SECOND);
    feed(r, packet, 0);
    assertEquals(1, r.dropped());
  }
}
