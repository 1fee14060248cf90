package io.partynet.wireguard.embedded.internal.stack.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.wireguard.embedded.internal.stack.StackCounters;
import io.partynet.wireguard.embedded.internal.stack.ipv4.Ipv4;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The TCP building blocks against simple models: receive ring, connection table, RTO, NewReno, header codec. */
class TcpPartsTest {

  /** Segments of a stream arrive in any order and overlap; the reader gets exactly the contiguous prefix. */
  @Property(tries = 200)
  void receiveBufferDeliversTheContiguousPrefix(@ForAll long seed, @ForAll int initialSequence,
      @ForAll @IntRange(min = 64, max = 4096) int capacity) {
    Random random = new Random(seed);
    byte[] stream = new byte[capacity * 3];
    random.nextBytes(stream);
    ReceiveBuffer buffer = new ReceiveBuffer(capacity, initialSequence);
    BitSet arrived = new BitSet();
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    int consumed = 0;
    for (int step = 0; step < 400; step++) {
      int offset = consumed + random.nextInt(capacity + 50);
      int length = 1 + random.nextInt(Math.max(1, capacity / 3));
      offset = Math.min(offset, stream.length - 1);
      length = Math.min(length, stream.length - offset);
      int windowEnd = consumed + buffer.readable() + buffer.window();
      int before = buffer.next();
      buffer.store(initialSequence + offset, stream, offset, length);
      if (buffer.next() != before || offset < windowEnd) {
        arrived.set(offset, Math.min(offset + length, windowEnd));
      }
      if (random.nextInt(3) == 0) {
        byte[] chunk = new byte[random.nextInt(capacity)];
        int n = buffer.read(chunk, 0, chunk.length);
        read.write(chunk, 0, n);
        consumed += n;
      }
      int contiguous = arrived.nextClearBit(0);
      assertTrue(buffer.next() - initialSequence <= contiguous, "RCV.NXT never passes a hole");
      assertEquals(consumed + buffer.readable(), buffer.next() - initialSequence);
    }
    byte[] rest = new byte[buffer.readable()];
    buffer.read(rest, 0, rest.length);
    read.write(rest, 0, rest.length);
    byte[] got = read.toByteArray();
    assertArrayEquals(java.util.Arrays.copyOf(stream, got.length), got);
  }

  @Property(tries = 100)
  void connectionTableEqualsAHashMap(@ForAll @Size(max = 300) List<@IntRange(max = 40) Integer> operations) {
    TcpStack stack = new TcpStack(1, TcpConfig.defaults(1420), (p, o, l) -> true, () -> 0L, new StackCounters(),
        new SecureRandom());
    ConnectionTable table = new ConnectionTable(16);
    Map<Long, TcpConnection> model = new HashMap<>();
    for (int op : operations) {
      long key = TcpStack.key(op % 5, 1000 + op, 80);
      TcpConnection existing = model.get(key);
      if (existing != null) {
        table.remove(existing);
        model.remove(key);
      } else if (model.size() < 16) {
        TcpConnection c = new TcpConnection(stack, null, 80, op % 5, 1000 + op, 0, 0, 0);
        assertTrue(table.put(c));
        model.put(key, c);
      }
      assertEquals(model.size(), table.size());
      for (Map.Entry<Long, TcpConnection> e : model.entrySet()) {
        assertSame(e.getValue(), table.get(e.getKey()));
      }
    }
    assertNull(table.get(TcpStack.key(99, 99, 99)));
    TcpConnection[] all = new TcpConnection[16];
    assertEquals(model.size(), table.copyTo(all));
  }

  /** RFC 6298 section 2: first sample R gives SRTT R, RTTVAR R/2, RTO SRTT + 4 RTTVAR; back-off doubles. */
  @Test
  void retransmissionTimeoutFollowsRfc6298() {
    RetransmissionTimer timer = new RetransmissionTimer(200_000_000L);
    assertEquals(1_000_000_000L, timer.rtoNanos(), "initial RTO 1 s (section 2.1)");
    timer.sample(100_000_000L);
    assertEquals(100_000_000L, timer.smoothedRttNanos());
    assertEquals(300_000_000L, timer.rtoNanos(), "100 ms + 4 * 50 ms");
    timer.sample(100_000_000L);
    assertEquals(100_000_000L + Math.max(10_000_000L, 4 * (3 * 50_000_000L / 4)), timer.rtoNanos());
    timer.backOff();
    timer.backOff();
    assertEquals(4 * (100_000_000L + 150_000_000L), timer.rtoNanos());
    for (int i = 0; i < 20; i++) {
      timer.backOff();
    }
    assertEquals(RetransmissionTimer.MAX_RTO_NANOS, timer.rtoNanos());
    timer.sample(1_000_000L);
    assertEquals(0, timer.backoffs(), "a new sample ends the back-off");
    assertTrue(timer.rtoNanos() >= 200_000_000L, "the floor holds");
  }

  /** RFC 5681 / RFC 6582: fast retransmit on the third duplicate, partial ACKs retransmit, a full ACK exits. */
  @Test
  void newRenoRecovery() {
    int mss = 1000;
    NewReno cc = new NewReno(mss, 0);
    assertEquals(4 * mss, cc.window(), "RFC 5681 initial window for a 1000-byte SMSS");
    for (int ack = 1000; ack <= 4000; ack += 1000) {
      cc.onNewAck(ack, 1000, 0);
    }
    assertEquals(8 * mss, cc.window(), "slow start grows by one SMSS per ACK");
    assertFalse(cc.onDuplicateAck(8000, 12000));
    assertFalse(cc.onDuplicateAck(8000, 12000));
    assertTrue(cc.onDuplicateAck(8000, 12000), "third duplicate: fast retransmit");
    assertEquals(4000, cc.slowStartThreshold());
    assertEquals(7000, cc.window(), "ssthresh + 3 SMSS");
    assertFalse(cc.onDuplicateAck(8000, 12000));
    assertEquals(8000, cc.window(), "each further duplicate inflates by one SMSS");
    assertTrue(cc.onNewAck(6000, 2000, 6000), "a partial ACK retransmits the next hole");
    assertTrue(cc.inRecovery());
    assertFalse(cc.onNewAck(12000, 6000, 0));
    assertFalse(cc.inRecovery());
    assertEquals(1000, cc.window(), "deflated to min(ssthresh, flight + SMSS)");
    cc.onTimeout(6000, 15000);
    assertEquals(mss, cc.window(), "loss window after a timeout");
    assertEquals(3000, cc.slowStartThreshold());
  }

  /** A fast retransmit found spurious: recovery ends, ssthresh is max(flight, ssthresh) from before, no burst. */
  @Test
  void newRenoUndoesASpuriousFastRetransmit() {
    int mss = 1000;
    NewReno cc = new NewReno(mss, 0);
    cc.onTimeout(6000, 6000);
    assertEquals(3000, cc.slowStartThreshold());
    for (int ack = 1000; ack <= 12000; ack += 1000) {
      cc.onNewAck(ack, 1000, 0);
    }
    int before = cc.window();
    assertTrue(before > 3000, "grown past ssthresh");
    for (int i = 0; i < 3; i++) {
      cc.onDuplicateAck(5000, 20000);
    }
    assertTrue(cc.inRecovery());
    assertEquals(2500, cc.slowStartThreshold());
    cc.undoSpuriousRecovery(2000, 1000);
    assertFalse(cc.inRecovery());
    assertEquals(5000, cc.slowStartThreshold(), "pipe_prev: the 5000 bytes in flight beat the old ssthresh 3000");
    assertEquals(2000 + 1000, cc.window(), "what is in flight plus the acknowledged bytes (within one initial window)");
    cc.onNewAck(21000, 1000, 2000);
    assertEquals(4000, cc.window(), "slow start again below the restored ssthresh");
    cc.undoSpuriousRecovery(0, 20000);
    assertEquals(4000, cc.window(), "at most one initial window more than in flight: no burst");
  }

  @Property(tries = 200)
  void segmentsRoundTripWithTheirOptions(@ForAll int seq, @ForAll int ack, @ForAll @IntRange(max = 0xffff) int window,
      @ForAll @IntRange(min = 536, max = 9000) int mss, @ForAll @IntRange(max = 14) int scale, @ForAll int tsVal,
      @ForAll @Size(max = 1000) byte[] data, @ForAll @IntRange(max = 0x3f) int flags) {
    byte[] packet = new byte[1100];
    int start = TcpSegment.dataStart(mss, scale, true);
    System.arraycopy(data, 0, packet, start, data.length);
    int length = TcpSegment.write(packet, 0x0a000001, 0x0a000002, 1234, 80, seq, ack, flags, window, mss, scale,
        true, tsVal, ~tsVal, data.length);
    Ipv4.Header ip = new Ipv4.Header();
    assertTrue(Ipv4.tryParse(packet, 0, length, ip));
    TcpSegment s = new TcpSegment();
    assertTrue(s.parse(packet, 20, length - 20, 0x0a000001, 0x0a000002));
    assertEquals(seq, s.seq);
    assertEquals(ack, s.ack);
    assertEquals(flags, s.flags);
    assertEquals(window, s.window);
    assertEquals(mss, s.mss);
    assertEquals(scale, s.windowScale);
    assertTrue(s.hasTimestamp);
    assertEquals(tsVal, s.tsVal);
    assertEquals(~tsVal, s.tsEcr);
    assertEquals(data.length, s.dataLength);
    assertArrayEquals(data, java.util.Arrays.copyOfRange(packet, s.dataOffset, s.dataOffset + s.dataLength));
    int flipped = 20 + new Random(seq).nextInt(length - 20);
    packet[flipped] ^= 0x10;
    assertFalse(s.parse(packet, 20, length - 20, 0x0a000001, 0x0a000002), "a flipped bit fails the checksum");
    assertFalse(s.parse(packet, 20, length - 20, 0x0a000001, 0x0a000003), "the pseudo-header is covered");
    packet[flipped] ^= 0x10;
    assertTrue(s.parse(packet, 20, length - 20, 0x0a000001, 0x0a000003, false),
        "out of the tunnel (authenticated by the AEAD) the checksum is not verified");
    assertEquals(data.length, s.dataLength);
  }

  @Property(tries = 500)
  void randomBytesNeverThrow(@ForAll @Size(max = 80) byte[] junk) {
    new TcpSegment().parse(junk, 0, junk.length, 1, 2);
  }
}
