package io.partynet.wireguard.embedded.internal.stack.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.wireguard.embedded.internal.stack.StackCounters;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Buffer autotuning: the rings grow without losing or moving a byte, the receive window's right
 * edge never moves left, the stack's growth budget bounds the memory and is given back; on the
 * simulated link (manual clock) a window-limited transfer grows the receive window, a reader
 * that does not read does not, a budget for one growth is shared by two connections, and a
 * sender held back by its own buffer (not by the windows) grows that buffer.
 */
class BufferAutotuningTest {
  private static final long MILLI = SimulatedNetwork.MILLI;

  /** Random stores (any order, overlapping), reads and growths against a bitmap of arrived bytes. */
  @Property(tries = 200)
  void aGrowingRingDeliversTheContiguousPrefix(@ForAll long seed, @ForAll int initialSequence,
      @ForAll @IntRange(min = 64, max = 2048) int capacity, @ForAll @IntRange(min = 0, max = 4) int doublings) {
    Random random = new Random(seed);
    int max = capacity << doublings;
    StackCounters counters = new StackCounters();
    BufferGrowthBudget budget = new BufferGrowthBudget(max, counters);
    ReceiveBuffer buffer = new ReceiveBuffer(capacity, max, budget, initialSequence);
    byte[] stream = new byte[max * 4];
    random.nextBytes(stream);
    BitSet arrived = new BitSet();
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    int consumed = 0;
    int rightEdge = 0;
    for (int step = 0; step < 400; step++) {
      int windowEnd = consumed + buffer.readable() + buffer.window();
      assertTrue(windowEnd >= rightEdge, "the right edge never moves left");
      rightEdge = windowEnd;
      int offset = Math.min(consumed + random.nextInt(buffer.capacity() + 50), stream.length - 1);
      int length = Math.min(1 + random.nextInt(Math.max(1, buffer.capacity() / 3)), stream.length - offset);
      int before = buffer.next();
      buffer.store(initialSequence + offset, stream, offset, length);
      if (buffer.next() != before || offset < windowEnd) {
        arrived.set(offset, Math.min(offset + length, windowEnd));
      }
      int choice = random.nextInt(6);
      if (choice < 2) {
        byte[] chunk = new byte[random.nextInt(buffer.capacity())];
        int n = buffer.read(chunk, 0, chunk.length);
        read.write(chunk, 0, n);
        consumed += n;
      } else if (choice == 2) {
        int capacityBefore = buffer.capacity();
        boolean grew = buffer.grow();
        assertEquals(grew, capacityBefore < max, "grows exactly while below the maximum (the budget covers it)");
        assertEquals(grew ? Math.min(2 * capacityBefore, max) : capacityBefore, buffer.capacity());
      }
      assertEquals(buffer.capacity() - capacity, budget.used(), "the budget holds exactly the growth");
      assertTrue(buffer.next() - initialSequence <= arrived.nextClearBit(0), "RCV.NXT never passes a hole");
      assertEquals(consumed + buffer.readable(), buffer.next() - initialSequence);
    }
    byte[] rest = new byte[buffer.readable()];
    buffer.read(rest, 0, rest.length);
    read.write(rest, 0, rest.length);
    byte[] got = read.toByteArray();
    assertArrayEquals(Arrays.copyOf(stream, got.length), got);
    buffer.release();
    buffer.release();
    assertEquals(0, budget.used(), "release gives the growth back, once");
    assertEquals(capacity, buffer.capacity());
  }

  /** Random writes, acknowledgements and growths against a byte queue: what is copied out is what was written. */
  @Property(tries = 200)
  void aGrowingSendBufferKeepsItsBytes(@ForAll long seed, @ForAll @IntRange(min = 64, max = 2048) int capacity,
      @ForAll @IntRange(min = 0, max = 4) int doublings) {
    Random random = new Random(seed);
    int max = capacity << doublings;
    BufferGrowthBudget budget = new BufferGrowthBudget(max, new StackCounters());
    SendBuffer buffer = new SendBuffer(capacity, max, budget);
    byte[] stream = new byte[max * 8];
    random.nextBytes(stream);
    int written = 0;
    int acknowledged = 0;
    for (int step = 0; step < 400 && written < stream.length; step++) {
      int choice = random.nextInt(4);
      if (choice == 0) {
        int n = buffer.write(stream, written, Math.min(stream.length - written, random.nextInt(buffer.capacity())));
        written += n;
      } else if (choice == 1) {
        int n = random.nextInt(buffer.size() + 1);
        buffer.acknowledge(n);
        acknowledged += n;
      } else if (choice == 2) {
        int before = buffer.capacity();
        assertEquals(before < max, buffer.grow(), "grows exactly while below the maximum (the budget covers it)");
        assertEquals(budget.used(), buffer.capacity() - capacity, "the budget holds exactly the growth");
      }
      assertEquals(written - acknowledged, buffer.size());
      assertEquals(buffer.capacity() - buffer.size(), buffer.free());
      if (buffer.size() > 0) {
        int from = random.nextInt(buffer.size());
        int length = 1 + random.nextInt(buffer.size() - from);
        byte[] out = new byte[length];
        buffer.copy(from, out, 0, length);
        assertArrayEquals(Arrays.copyOfRange(stream, acknowledged + from, acknowledged + from + length), out);
      }
    }
    buffer.release();
    buffer.release();
    assertEquals(0, budget.used(), "release gives the growth back, once");
  }

  /** 10 ms each way, a large peer window: the 16 KiB send buffer limits the sender, so it grows. */
  @Test
  void aSenderHeldBackByItsBufferGrowsIt() throws Exception {
    TcpConfig config = TcpConfig.defaults(1420).withBuffers(16 * 1024, 256 * 1024)
        .withAutotuning(256 * 1024, 256 * 1024, 1 << 20);
    SimulatedNetwork net = new SimulatedNetwork(6, 0, 0, 10 * MILLI, 0, config);
    byte[] payload = new byte[3_000_000];
    new Random(6).nextBytes(payload);
    Transfer t = Transfer.start(net, 80, payload);
    for (int i = 0; i < 200_000 && !t.step(true); i++) {
      net.advance(MILLI);
    }
    assertArrayEquals(payload, t.received.toByteArray());
    assertTrue(net.countersA.tcpSendBufferGrown.get() >= 1, "the send buffer grew");
  }

  /** The peer's window (16 KiB, fixed) limits, not the send buffer: it stays at its initial size. */
  @Test
  void aSenderHeldBackByThePeerWindowDoesNotGrowItsBuffer() throws Exception {
    TcpConfig sender = TcpConfig.defaults(1420).withBuffers(16 * 1024, 16 * 1024)
        .withAutotuning(256 * 1024, 16 * 1024, 1 << 20);
    SimulatedNetwork net = new SimulatedNetwork(7, 0, 0, 10 * MILLI, 0, sender);
    byte[] payload = new byte[500_000];
    new Random(7).nextBytes(payload);
    Transfer t = Transfer.start(net, 80, payload);
    for (int i = 0; i < 200_000 && !t.step(true); i++) {
      net.advance(MILLI);
    }
    assertArrayEquals(payload, t.received.toByteArray());
    assertEquals(0, net.countersA.tcpSendBufferGrown.get());
  }

  @Test
  void aSpentBudgetRefusesGrowth() {
    StackCounters counters = new StackCounters();
    BufferGrowthBudget budget = new BufferGrowthBudget(1024, counters);
    ReceiveBuffer first = new ReceiveBuffer(1024, 8192, budget, 0);
    ReceiveBuffer second = new ReceiveBuffer(1024, 8192, budget, 0);
    assertTrue(first.grow());
    assertTrue(!second.grow() && !first.grow(), "the budget held one doubling");
    assertEquals(2, counters.tcpBufferGrowthRefused.get());
    first.release();
    assertTrue(second.grow(), "released growth is available again");
  }

  /** 10 ms each way, the reader keeps up: the window, not the link, limits; it doubles up to the maximum. */
  @Test
  void aWindowLimitedTransferGrowsTheWindow() throws Exception {
    TcpConfig config = TcpConfig.defaults(1420).withBuffers(64 * 1024, 16 * 1024)
        .withAutotuning(64 * 1024, 256 * 1024, 1 << 20);
    SimulatedNetwork net = new SimulatedNetwork(3, 0, 0, 10 * MILLI, 0, config);
    byte[] payload = new byte[3_000_000];
    new Random(3).nextBytes(payload);
    Transfer t = Transfer.start(net, 80, payload);
    for (int i = 0; i < 200_000 && !t.step(true); i++) {
      net.advance(MILLI);
    }
    assertArrayEquals(payload, t.received.toByteArray());
    assertTrue(net.countersB.tcpReceiveBufferGrown.get() >= 1, "the window grew");
    assertEquals(256 * 1024, t.server.receiver.buffer.capacity(), "up to the maximum");
    assertEquals(256 * 1024 - 16 * 1024, net.b.growthBudget().used());
    t.server.close();
    net.advance(100 * MILLI);
    assertEquals(TcpConnection.State.CLOSED, t.server.state());
    assertEquals(0, net.b.growthBudget().used(), "the closed connection gave its growth back");
  }

  /** A reader that reads nothing: the window closes at its initial size. */
  @Test
  void aReaderThatDoesNotReadDoesNotGrowTheWindow() throws Exception {
    TcpConfig config = TcpConfig.defaults(1420).withBuffers(64 * 1024, 16 * 1024)
        .withAutotuning(64 * 1024, 256 * 1024, 1 << 20);
    SimulatedNetwork net = new SimulatedNetwork(4, 0, 0, 10 * MILLI, 0, config);
    Transfer t = Transfer.start(net, 80, new byte[1_000_000]);
    for (int i = 0; i < 5_000; i++) {
      t.step(false);
      net.advance(MILLI);
    }
    assertEquals(16 * 1024, t.server.available(), "the initial buffer is full");
    assertEquals(16 * 1024, t.server.receiver.buffer.capacity());
    assertEquals(0, net.countersB.tcpReceiveBufferGrown.get());
  }

  /** Two window-limited transfers at once with a budget for one doubling: one grows, the other is refused. */
  @Test
  void twoConnectionsShareTheBudget() throws Exception {
    TcpConfig config = TcpConfig.defaults(1420).withBuffers(64 * 1024, 16 * 1024)
        .withAutotuning(64 * 1024, 256 * 1024, 16 * 1024);
    SimulatedNetwork net = new SimulatedNetwork(5, 0, 0, 10 * MILLI, 0, config);
    byte[] payload = new byte[1_500_000];
    new Random(5).nextBytes(payload);
    Transfer one = Transfer.start(net, 80, payload);
    Transfer two = Transfer.start(net, 81, payload);
    for (int i = 0; i < 200_000 && !(one.step(true) & two.step(true)); i++) {
      net.advance(MILLI);
    }
    assertArrayEquals(payload, one.received.toByteArray());
    assertArrayEquals(payload, two.received.toByteArray());
    assertEquals(16 * 1024, net.b.growthBudget().used(), "one doubling, no more");
    assertEquals(48 * 1024, one.server.receiver.buffer.capacity() + two.server.receiver.buffer.capacity());
    assertTrue(net.countersB.tcpBufferGrowthRefused.get() >= 1, "the other was refused");
    one.server.close();
    two.server.close();
    net.advance(100 * MILLI);
    assertEquals(0, net.b.growthBudget().used(), "the closed connections gave their growth back");
  }

  /** A client on A writes {@code payload} and shuts its output; the server on B reads until the FIN. */
  private static final class Transfer {
    final TcpConnection client;
    final TcpConnection server;
    final byte[] payload;
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final byte[] chunk = new byte[64 * 1024];
    private int sent;
    private boolean eof;

    private Transfer(TcpConnection client, TcpConnection server, byte[] payload) {
      this.client = client;
      this.server = server;
      this.payload = payload;
    }

    static Transfer start(SimulatedNetwork net, int port, byte[] payload) throws Exception {
      TcpListener listener = net.b.listen(port);
      TcpConnection client = net.a.connect(SimulatedNetwork.IP_B, port);
      net.advance(50 * MILLI);
      TcpConnection server = listener.accept(0);
      assertTrue(server != null, "the simulated handshake completed");
      return new Transfer(client, server, payload);
    }

    /** Writes what fits, reads what arrived when {@code read}; true once everything arrived and the FIN. */
    boolean step(boolean read) throws Exception {
      if (sent < payload.length) {
        sent += client.tryWrite(payload, sent, payload.length - sent);
        if (sent == payload.length) {
          client.shutdownOutput();
        }
      }
      int n;
      while (read && !eof && (n = server.tryRead(chunk, 0, chunk.length)) != 0) {
        if (n < 0) {
          eof = true;
        } else {
          received.write(chunk, 0, n);
        }
      }
      return eof;
    }
  }
}
