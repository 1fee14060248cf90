package io.partynet.wireguard.embedded.internal.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.testing.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The delivery stage hands packets to the sink exactly once each, byte for byte, in the order they
 * were queued, whatever the consumer's pace; a full queue drops and counts instead of growing;
 * {@code awaitDrained} returns only when everything queued before it was delivered.
 */
class DeliveryStageTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final long PATIENT = TimeUnit.SECONDS.toNanos(30);

  /** A sink that records a copy of each packet, optionally pausing now and then (a busy stack). */
  private static final class RecordingSink implements PacketSink {
    final List<byte[]> delivered = new ArrayList<>();
    final Random pauses;

    RecordingSink(Random pauses) {
      this.pauses = pauses;
    }

    @Override
    public void deliver(byte[] packet, int offset, int length) {
      byte[] copy = new byte[length];
      System.arraycopy(packet, offset, copy, 0, length);
      synchronized (this) {
        delivered.add(copy);
      }
      if (pauses != null && pauses.nextInt(8) == 0) {
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(pauses.nextInt(200)));
      }
    }

    synchronized int count() {
      return delivered.size();
    }

    synchronized List<byte[]> snapshot() {
      return new ArrayList<>(delivered);
    }
  }

  private static void queue(DeliveryStage stage, byte[] packet) {
    synchronized (stage) {
      DeliveryStage.Slot slot = stage.claimSlot();
      assertNotNull(slot, "no slot within the wait");
      System.arraycopy(packet, 0, slot.bytes, 0, packet.length);
      stage.publish(slot, packet.length);
    }
    stage.wakeConsumer();
  }

  @Property(tries = 30)
  void deliversEveryPacketOnceInQueueOrder(@ForAll long seed, @ForAll @IntRange(min = 1, max = 2000) int packets,
      @ForAll @IntRange(min = 1, max = 6) int slotsLog2) {
    Random random = new Random(seed);
    RecordingSink sink = new RecordingSink(new Random(seed + 1));
    List<byte[]> sent = new ArrayList<>();
    try (DeliveryStage stage = new DeliveryStage("test-deliver", 1 << slotsLog2, 1500, PATIENT, () -> sink)) {
      for (int i = 0; i < packets; i++) {
        byte[] packet = new byte[4 + random.nextInt(1497)];
        random.nextBytes(packet);
        packet[0] = (byte) (i >>> 24);
        packet[1] = (byte) (i >>> 16);
        packet[2] = (byte) (i >>> 8);
        packet[3] = (byte) i;
        sent.add(packet);
        queue(stage, packet);
      }
      Eventually.until(DEADLINE, () -> sink.count() == packets, () -> sink.count() + " of " + packets + " delivered");
      assertEquals(0, stage.dropped());
    }
    List<byte[]> delivered = sink.snapshot();
    assertEquals(packets, delivered.size());
    for (int i = 0; i < packets; i++) {
      assertTrue(java.util.Arrays.equals(sent.get(i), delivered.get(i)), "packet " + i + " differs or is out of order");
    }
  }

  @Test
  void aFullQueueDropsAndCountsAndAwaitDrainedWaitsForTheRest() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch consumerBlocked = new CountDownLatch(1);
    RecordingSink recording = new RecordingSink(null);
    PacketSink stuck = (packet, offset, length) -> {
      consumerBlocked.countDown();
      try {
        release.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      recording.deliver(packet, offset, length);
    };
    int slots = 4;
    try (DeliveryStage stage = new DeliveryStage("test-deliver", slots, 64, DeliveryStage.FULL_WAIT_NANOS,
        () -> stuck)) {
      queue(stage, new byte[] {0});
      assertTrue(consumerBlocked.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
      for (int i = 1; i < slots; i++) {
        queue(stage, new byte[] {(byte) i});
      }
      assertEquals(slots, stage.queued());
      synchronized (stage) {
        assertNull(stage.claimSlot(), "a full queue gives no slot after the wait");
      }
      assertEquals(1, stage.dropped());
      assertEquals(slots, stage.queued());
      assertFalse(stage.awaitDrained(TimeUnit.MILLISECONDS.toNanos(20)), "the consumer is still held");
      release.countDown();
      assertTrue(stage.awaitDrained(PATIENT));
      assertEquals(slots, recording.count(), "drained means delivered");
    }
    for (int i = 0; i < slots; i++) {
      assertEquals(i, recording.snapshot().get(i)[0]);
    }
  }
}
