package io.partynet.wireguard.embedded.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.testing.lab.LabTest;
import io.partynet.wireguard.embedded.internal.ReorderingForwarder.Counts;
import io.partynet.wireguard.embedded.internal.ReorderingForwarder.Disorder;
import io.partynet.wireguard.embedded.internal.stack.StackCounters;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The userspace TCP/IP stack against the Linux kernel's with the WireGuard path reordering and
 * duplicating datagrams: the lab of {@link KernelTcpInteropTest}, but the embedded member and
 * wireguard-go reach each other only through a {@link ReorderingForwarder} in this JVM (the kernel
 * has no netem). 100 MiB each way must arrive byte-identical, and the forwarder's counts prove
 * that datagrams really went out of order and twice in both directions. Duplicated datagrams are
 * dropped by the receiving WireGuard's replay window before they reach TCP (TCP-level duplicates
 * are covered by {@code TcpTransferTest}'s simulated link). Budget about 30 s (15 s measured at load 9).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@LabTest(needs = LabTest.Need.WIREGUARD_GO)
class KernelTcpReorderingTest {
  /**
   * 3 % of the datagrams overtaken by 1-3 later ones (at most 5 ms late), 1 % of the others twice.
   * Three overtakers make three duplicate ACKs, so some fast retransmits are spurious, as on a
   * real path that reorders that much: the embedded sender must find them out by the timestamps
   * and undo its window reduction.
   */
  private static final Disorder DISORDER = new Disorder(0.03, 3, 0.01, Duration.ofMillis(5));
  /** A datagram carries at most an MTU (1420) of TCP: a 100 MiB transfer is at least this many. */
  private static final long DATAGRAMS_PER_TRANSFER = KernelTcpLab.BIG / 1420;
  /** The payload of a full segment at MTU 1420: 1380 minus the 12-byte timestamp option. */
  private static final int MSS = 1368;

  private ReorderingForwarder forwarder;
  private KernelTcpLab kernel;

  @BeforeAll
  void setUp() throws Exception {
    kernel = KernelTcpLab.open(new MutableClock(), (embedded, wireGuardGo) -> {
      forwarder = new ReorderingForwarder(embedded.getAddress());
      forwarder.start(embedded, wireGuardGo, DISORDER, 16);
      return new KernelTcpLab.Ends(forwarder.facingEmbedded(), forwarder.facingWireGuardGo());
    });
  }

  @AfterAll
  void tearDown() {
    if (kernel != null) {
      kernel.close();
    }
    if (forwarder != null) {
      forwarder.close();
    }
  }

  @Test
  void curlDownloads100MiBThroughAReorderingDuplicatingPath() throws Exception {
    Counts before = forwarder.towardWireGuardGo();
    StackCounters stack = kernel.backend.stackCounters();
    long segmentsBefore = stack.tcpSegmentsSent.get();
    long fastBefore = stack.tcpFastRetransmits.get();
    long spuriousBefore = stack.tcpSpuriousFastRetransmits.get();
    assertEquals(HexFormat.of().formatHex(kernel.bigHash), kernel.downloadThroughExpose(8082));
    forwarder.checkHealthy();
    long spurious = stack.tcpSpuriousFastRetransmits.get() - spuriousBefore;
    String retransmits = "the embedded stack sent " + (stack.tcpSegmentsSent.get() - segmentsBefore)
        + " TCP segments, the data needs " + (KernelTcpLab.BIG / MSS + 1) + "; fast retransmits "
        + (stack.tcpFastRetransmits.get() - fastBefore) + ", found spurious and undone " + spurious;
    assertDisordered(before, forwarder.towardWireGuardGo(), "the download's data toward wireguard-go (" + retransmits + ")");
    // the kernel's ACK that fills the hole echoes the original's timestamp (RFC 7323 section 4.3)
    assertTrue(spurious > 0, "no fast retransmit was found spurious: " + retransmits);
  }

  @Test
  void socatUploads100MiBThroughAReorderingDuplicatingPath() throws Exception {
    Counts before = forwarder.towardEmbedded();
    long replayedBefore = kernel.backend.counters().replayedPackets();
    assertArrayEquals(kernel.bigHash, kernel.uploadAndHash(9002, KernelTcpLab.BIG));
    forwarder.checkHealthy();
    long replayed = kernel.backend.counters().replayedPackets();
    // read after the replay count: every replay it holds was a copy the forwarder had counted
    Counts after = forwarder.towardEmbedded();
    assertDisordered(before, after, "the upload's data toward the embedded member");
    assertTrue(replayed > replayedBefore, "the embedded member's replay window dropped none of "
        + (after.duplicated() - before.duplicated()) + " duplicates");
    assertTrue(replayed <= after.duplicated(), "replays beyond the forwarder's duplicates since the start: "
        + replayed + " > " + after.duplicated());
  }

  /** The data went through the forwarder, and some of it out of order and some of it twice. */
  private static void assertDisordered(Counts before, Counts after, String what) {
    long received = after.received() - before.received();
    long outOfOrder = after.outOfOrder() - before.outOfOrder();
    long duplicated = after.duplicated() - before.duplicated();
    String counts = what + ": " + received + " datagrams, " + outOfOrder + " out of order, " + duplicated + " twice";
    System.out.println("KernelTcpReorderingTest: " + counts);
    assertTrue(received >= DATAGRAMS_PER_TRANSFER, "the path bypassed the forwarder? " + counts);
    assertTrue(outOfOrder > 0, counts);
    assertTrue(duplicated > 0, counts);
    assertEquals(0, after.strays(), "datagrams from a third source");
  }
}
