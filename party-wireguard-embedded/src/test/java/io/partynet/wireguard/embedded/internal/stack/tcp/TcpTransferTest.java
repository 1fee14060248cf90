package io.partynet.wireguard.embedded.internal.stack.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The state machine on a simulated lossy, reordering, duplicating link with a manual clock: both
 * directions carry random data at once (with a half-close at the end of each), and every byte
 * arrives exactly once and in order, or a side reports an error. Deterministic per seed.
 */
class TcpTransferTest {
  private static final long MILLI = SimulatedNetwork.MILLI;

  @Property(tries = 60)
  void everyByteArrivesOnceInOrderOrAnErrorIsReported(@ForAll long seed,
      @ForAll @DoubleRange(min = 0, max = 0.25) double loss, @ForAll @DoubleRange(min = 0, max = 0.1) double duplication,
      @ForAll @LongRange(min = 0, max = 30) long jitterMillis, @ForAll @IntRange(min = 0, max = 120_000) int bytesAtoB,
      @ForAll @IntRange(min = 0, max = 40_000) int bytesBtoA, @ForAll @IntRange(min = 2, max = 64) int bufferKiB)
      throws Exception {
    transfer(TcpConfig.defaults(1420).withBuffers(bufferKiB * 1024, bufferKiB * 1024), seed, loss, duplication,
        jitterMillis, bytesAtoB, bytesBtoA);
  }

  /** The same with send and receive buffers that autotune from {@code bufferKiB} up to eight times that. */
  @Property(tries = 30)
  void autotunedWindowsDeliverEveryByteOnceInOrderOrReportAnError(@ForAll long seed,
      @ForAll @DoubleRange(min = 0, max = 0.1) double loss, @ForAll @DoubleRange(min = 0, max = 0.1) double duplication,
      @ForAll @LongRange(min = 0, max = 30) long jitterMillis, @ForAll @IntRange(min = 0, max = 400_000) int bytesAtoB,
      @ForAll @IntRange(min = 0, max = 40_000) int bytesBtoA, @ForAll @IntRange(min = 2, max = 32) int bufferKiB)
      throws Exception {
    TcpConfig config = TcpConfig.defaults(1420).withBuffers(bufferKiB * 1024, bufferKiB * 1024)
        .withAutotuning(bufferKiB * 8 * 1024, bufferKiB * 8 * 1024, bufferKiB * 8 * 1024);
    transfer(config, seed, loss, duplication, jitterMillis, bytesAtoB, bytesBtoA);
  }

  /** Runs the two-way transfer and checks it; returns the network for its counters. */
  private static SimulatedNetwork transfer(TcpConfig config, long seed, double loss, double duplication,
      long jitterMillis, int bytesAtoB, int bytesBtoA) throws Exception {
    SimulatedNetwork net = new SimulatedNetwork(seed, loss, duplication, 5 * MILLI, jitterMillis * MILLI, config);
    TcpListener listener = net.b.listen(80);
    TcpConnection client = net.a.connect(SimulatedNetwork.IP_B, 80);
    TcpConnection server = null;
    Random data = new Random(seed);
    byte[] toB = new byte[bytesAtoB];
    byte[] toA = new byte[bytesBtoA];
    data.nextBytes(toB);
    data.nextBytes(toA);
    Side clientSide = new Side(toB);
    Side serverSide = new Side(toA);
    byte[] chunk = new byte[3000];
    // Two simulated hours: with 2 KiB buffers and 25 % loss a transfer crawls through back-offs
    // of up to 60 s (a run of 84 KB took 20 minutes), and a sender gives up after 12 of them, so
    // a transfer completes or fails within it; one stuck without an error fails the property.
    long limit = net.now + Duration.ofHours(2).toNanos();
    long start = net.now;
    while (net.now < limit) {
      net.advance(net.now - start < Duration.ofSeconds(30).toNanos() ? MILLI : 100 * MILLI);
      if (server == null) {
        server = listener.accept(0);
      }
      boolean clientDone = clientSide.pump(client, chunk);
      boolean serverDone = server == null ? client.state() == TcpConnection.State.CLOSED : serverSide.pump(server, chunk);
      if (clientDone && serverDone) {
        break;
      }
    }
    boolean failed = clientSide.error != null || serverSide.error != null || server == null;
    byte[] gotB = serverSide.received.toByteArray();
    byte[] gotA = clientSide.received.toByteArray();
    assertTrue(isPrefix(gotB, toB) && isPrefix(gotA, toA), "received bytes must be a prefix of those sent");
    if (!failed) {
      assertArrayEquals(toB, gotB, "A to B");
      assertArrayEquals(toA, gotA, "B to A");
      assertTrue(clientSide.eof && serverSide.eof, "both sides saw the FIN");
    } else {
      assertTrue(loss > 0, "only a lossy link may make a connection fail: " + clientSide.error + " / "
          + serverSide.error);
    }
    return net;
  }

  /**
   * Reordering without loss: every fast retransmit is spurious, and the ACK that covers it echoes
   * the original's older timestamp, so each is found out and its window reduction undone.
   */
  @Example
  void aReorderingLosslessLinkUndoesItsSpuriousFastRetransmits() throws Exception {
    SimulatedNetwork net = transfer(TcpConfig.defaults(1420).withBuffers(256 * 1024, 256 * 1024), 16, 0, 0, 3,
        1_000_000, 0);
    long fast = net.countersA.tcpFastRetransmits.get();
    long undone = net.countersA.tcpSpuriousFastRetransmits.get();
    assertTrue(fast > 0, "up to 3 ms of jitter at 5 ms latency makes triple duplicate ACKs");
    assertTrue(undone > 0 && undone <= fast, undone + " of " + fast + " spurious fast retransmits undone");
  }

  /** Megabytes through full-size (scaled) windows with 2 % loss and reordering. */
  @Example
  void aBulkTransferWithLossAndReorderingArrivesIntact() throws Exception {
    everyByteArrivesOnceInOrderOrAnErrorIsReported(5, 0.02, 0.01, 3, 2_000_000, 50_000, 256);
  }

  /** A sample jqwik once found: the ACKs of a backed-off sender keep getting lost; it must end, not hang. */
  @Example
  void aSenderWhoseAcksAreLostEndsWithinItsRetries() throws Exception {
    everyByteArrivesOnceInOrderOrAnErrorIsReported(-8, 0.22, 0.0, 1, 5809, 1, 3);
  }

  private static boolean isPrefix(byte[] prefix, byte[] of) {
    return prefix.length <= of.length && Arrays.equals(prefix, 0, prefix.length, of, 0, prefix.length);
  }

  /** One application: writes its data, shuts its output down, reads until the FIN. */
  private static final class Side {
    final byte[] toSend;
    int sent;
    boolean shut;
    boolean eof;
    IOException error;
    final ByteArrayOutputStream received = new ByteArrayOutputStream();

    Side(byte[] toSend) {
      this.toSend = toSend;
    }

    boolean pump(TcpConnection c, byte[] chunk) {
      if (error != null) {
        return true;
      }
      try {
        TcpConnection.State state = c.state();
        if (state == TcpConnection.State.SYN_SENT || state == TcpConnection.State.SYN_RECEIVED) {
          return false;
        }
        if (sent < toSend.length) {
          sent += c.tryWrite(toSend, sent, toSend.length - sent);
        } else if (!shut) {
          c.shutdownOutput();
          shut = true;
        }
        int n;
        while (!eof && (n = c.tryRead(chunk, 0, chunk.length)) != 0) {
          if (n < 0) {
            eof = true;
          } else {
            received.write(chunk, 0, n);
          }
        }
      } catch (IOException e) {
        error = e;
        return true;
      }
      return shut && eof;
    }
  }

  @Property(tries = 10)
  void aLosslessLinkNeverFails(@ForAll long seed, @ForAll @IntRange(min = 1, max = 300_000) int bytes)
      throws Exception {
    TcpConfig config = TcpConfig.defaults(1420).withBuffers(32 * 1024, 32 * 1024);
    SimulatedNetwork net = new SimulatedNetwork(seed, 0, 0, 2 * MILLI, 0, config);
    TcpListener listener = net.b.listen(80);
    TcpConnection client = net.a.connect(SimulatedNetwork.IP_B, 80);
    net.advance(20 * MILLI);
    TcpConnection server = listener.accept(0);
    byte[] payload = new byte[bytes];
    new Random(seed).nextBytes(payload);
    Side writer = new Side(payload);
    Side reader = new Side(new byte[0]);
    byte[] chunk = new byte[4096];
    for (int i = 0; i < 100_000 && !(writer.pump(client, chunk) & reader.pump(server, chunk)); i++) {
      net.advance(MILLI);
    }
    assertArrayEquals(payload, reader.received.toByteArray());
    assertEquals(0, net.countersA.tcpRetransmissionTimeouts.get() + net.countersB.tcpRetransmissionTimeouts.get(),
        "no timeouts without loss");
    net.advance(Duration.ofSeconds(61).toNanos());
    assertEquals(0, net.a.connectionCount() + net.b.connectionCount(), "TIME_WAIT ends after 2 MSL");
  }
}
