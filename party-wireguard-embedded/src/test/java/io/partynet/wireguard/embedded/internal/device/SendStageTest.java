package io.partynet.wireguard.embedded.internal.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.testing.Eventually;
import io.partynet.wireguard.embedded.internal.crypto.ChaChaPoly;
import io.partynet.wireguard.embedded.internal.crypto.TransportAead;
import io.partynet.wireguard.embedded.internal.noise.Messages;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The send stage seals every queued packet exactly as the receiver expects (header, counter,
 * padding, tag), sends them in the order they were queued (so each peer's counters leave in
 * order, also with several sending threads), and stays bounded: a full queue makes a sender wait
 * a bounded time and then drops and counts, it never grows. The order tests give senders a wait
 * far longer than a loaded machine can stall the stage, so that no packet is dropped there.
 */
class SendStageTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final long PATIENT = TimeUnit.SECONDS.toNanos(30);
  private static final InetSocketAddress TARGET = new InetSocketAddress("127.0.0.1", 9);

  /** A link that records copies of what it is given. */
  private static final class RecordingLink implements SendStage.Link {
    final List<byte[]> sent = new ArrayList<>();

    @Override
    public synchronized void transmit(ByteBuffer datagram, InetSocketAddress target) {
      byte[] copy = new byte[datagram.remaining()];
      datagram.get(copy);
      sent.add(copy);
    }

    synchronized int count() {
      return sent.size();
    }

    synchronized List<byte[]> snapshot() {
      return new ArrayList<>(sent);
    }
  }

  private static SecretKeySpec key(Random random) {
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    return ChaChaPoly.key(raw);
  }

  @Property(tries = 30)
  void sealsEveryPacketInQueueOrder(@ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int packets,
      @ForAll @IntRange(min = 1, max = 4) int peers) throws AEADBadTagException {
    Random random = new Random(seed);
    SecretKeySpec[] keys = new SecretKeySpec[peers];
    long[] nextCounter = new long[peers];
    for (int p = 0; p < peers; p++) {
      keys[p] = key(random);
      nextCounter[p] = random.nextInt(1000);
    }
    List<byte[]> plaintexts = new ArrayList<>();
    int[] peerOf = new int[packets];
    long[] counterOf = new long[packets];
    RecordingLink link = new RecordingLink();
    // fewer slots than packets: the sender waits for room, nothing is lost
    try (SendStage stage = new SendStage("test-send", 64, 1440, PATIENT, link)) {
      for (int i = 0; i < packets; i++) {
        int peer = random.nextInt(peers);
        byte[] plain = new byte[random.nextInt(1421)];
        random.nextBytes(plain);
        int padding = Math.min((plain.length + 15) & ~15, 1420) - plain.length;
        peerOf[i] = peer;
        counterOf[i] = nextCounter[peer]++;
        plaintexts.add(Arrays.copyOf(plain, plain.length + padding));
        assertTrue(stage.offer(keys[peer], 100 + peer, counterOf[i], plain, 0, plain.length, padding, TARGET));
      }
      Eventually.until(DEADLINE, () -> link.count() == packets, () -> link.count() + " of " + packets + " sent");
      assertEquals(0, stage.dropped());
    }
    List<byte[]> sent = link.snapshot();
    TransportAead aead = new TransportAead();
    for (int i = 0; i < packets; i++) {
      byte[] datagram = sent.get(i);
      assertEquals(Messages.TYPE_TRANSPORT, Messages.typeOf(datagram, 0, datagram.length));
      assertEquals(100 + peerOf[i], Messages.getIntLe(datagram, 4));
      assertEquals(counterOf[i], Messages.getLongLe(datagram, 8));
      byte[] opened = new byte[datagram.length];
      int n = aead.open(keys[peerOf[i]], counterOf[i], datagram, Messages.TRANSPORT_HEADER_LENGTH,
          datagram.length - Messages.TRANSPORT_HEADER_LENGTH, opened, 0);
      assertArrayEquals(plaintexts.get(i), Arrays.copyOf(opened, n));
    }
  }

  /** Senders on several threads, each queuing its peer's counters under its own lock (as a peer does). */
  @Property(tries = 10)
  void eachPeersCountersLeaveInOrderWithConcurrentSenders(@ForAll long seed) throws InterruptedException {
    int threads = 4;
    int perThread = 500;
    Random random = new Random(seed);
    SecretKeySpec[] keys = new SecretKeySpec[threads];
    for (int t = 0; t < threads; t++) {
      keys[t] = key(random);
    }
    RecordingLink link = new RecordingLink();
    try (SendStage stage = new SendStage("test-send", 32, 64, PATIENT, link)) {
      List<Thread> senders = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int peer = t;
        Thread sender = new Thread(() -> {
          byte[] payload = new byte[16];
          for (long counter = 0; counter < perThread; counter++) {
            stage.offer(keys[peer], peer, counter, payload, 0, payload.length, 0, TARGET);
          }
        });
        senders.add(sender);
        sender.start();
      }
      for (Thread sender : senders) {
        sender.join(DEADLINE.toMillis());
      }
      assertEquals(0, stage.dropped());
      long expected = (long) threads * perThread;
      Eventually.until(DEADLINE, () -> link.count() == expected, () -> link.count() + " of " + expected + " sent");
    }
    long[] last = new long[threads];
    Arrays.fill(last, -1);
    for (byte[] datagram : link.snapshot()) {
      int peer = Messages.getIntLe(datagram, 4);
      long counter = Messages.getLongLe(datagram, 8);
      assertTrue(counter > last[peer], "peer " + peer + " sent counter " + counter + " after " + last[peer]);
      last[peer] = counter;
    }
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfGrowing() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch consumerBlocked = new CountDownLatch(1);
    RecordingLink recording = new RecordingLink();
    SendStage.Link stuck = (datagram, target) -> {
      consumerBlocked.countDown();
      try {
        release.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      recording.transmit(datagram, target);
    };
    int slots = 8;
    byte[] payload = new byte[32];
    SecretKeySpec key = key(new Random(1));
    try (SendStage stage = new SendStage("test-send", slots, 64, SendStage.FULL_WAIT_NANOS, stuck)) {
      assertTrue(stage.offer(key, 1, 0, payload, 0, payload.length, 0, TARGET));
      assertTrue(consumerBlocked.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
      // the consumer holds packet 0 in its hands; its slot counts until it is sent
      for (int counter = 1; counter < slots; counter++) {
        assertTrue(stage.offer(key, 1, counter, payload, 0, payload.length, 0, TARGET));
      }
      assertEquals(slots, stage.queued());
      assertFalse(stage.offer(key, 1, slots, payload, 0, payload.length, 0, TARGET));
      assertFalse(stage.offer(key, 1, slots + 1, payload, 0, payload.length, 0, TARGET));
      assertEquals(2, stage.dropped());
      assertEquals(slots, stage.queued());
      release.countDown();
      Eventually.until(DEADLINE, () -> recording.count() == slots, () -> recording.count() + " of " + slots + " sent");
      assertTrue(stage.offer(key, 1, slots + 2, payload, 0, payload.length, 0, TARGET), "room again after draining");
      Eventually.until(DEADLINE, () -> recording.count() == slots + 1, () -> recording.count() + " sent");
    }
    assertEquals(slots + 2, Messages.getLongLe(recording.snapshot().get(slots), 8));
  }

  @Test
  void aClosedStageDropsInsteadOfQueuing() {
    RecordingLink link = new RecordingLink();
    SendStage stage = new SendStage("test-send", 8, 64, PATIENT, link);
    stage.close();
    assertFalse(stage.offer(key(new Random(2)), 1, 0, new byte[4], 0, 4, 0, TARGET));
    assertEquals(1, stage.dropped());
  }
}
