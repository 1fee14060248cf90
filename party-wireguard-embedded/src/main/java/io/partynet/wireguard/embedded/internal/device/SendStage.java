package io.partynet.wireguard.embedded.internal.device;

import io.partynet.wireguard.embedded.internal.crypto.TransportAead;
import io.partynet.wireguard.embedded.internal.noise.Messages;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encrypts and sends transport packets on a thread of its own, in the order they were queued.
 *
 * <p>Without it, whichever thread made a packet also sealed it and made the {@code sendto} call:
 * for a sending TCP connection that is the device's receive thread (each ACK that arrives lets the
 * stack send more), so decrypting, segment handling, encrypting and the kernel's UDP path all ran
 * on one thread, which bounded throughput while the machine's other core waited. Now a sender copies the
 * plaintext into a slot (with the session's key, counter and endpoint, chosen under the peer's
 * lock) and goes on; this stage seals and transmits. A peer queues under its own lock right after
 * taking the counter, so each peer's packets leave in counter order (the receiver's replay
 * window would also accept them reordered, but reordering costs TCP).
 *
 * <p>Bounded: {@code slots} preallocated slots of {@code packetCapacity} bytes, nothing grows. A
 * sender that finds every slot taken waits a bounded time ({@link #FULL_WAIT_NANOS} in a device) for room (back pressure
 * on a burst, like a full socket buffer), then the packet is dropped and counted: the stage never
 * blocks a sender for long. Allocation-free per packet; the consumer parks only when the queue is
 * empty, so a burst costs one wake-up.
 *
 * <p>Thread-safe: any number of senders (serialized by the queue's monitor), one consumer thread.
 */
final class SendStage implements AutoCloseable {
  /** What a sealed packet goes out through (the device's socket). */
  interface Link {
    void transmit(ByteBuffer datagram, InetSocketAddress target);
  }

  private static final Logger LOG = LoggerFactory.getLogger(SendStage.class);
  static final int DEFAULT_SLOTS = 1024;
  /** How long a sender waits for a free slot before the packet is dropped. */
  static final long FULL_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long FULL_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(20);

  private final Slot[] slots;
  private final int mask;
  private final int packetCapacity;
  private final Link link;
  private final long fullWaitNanos;
  private final Thread thread;
  private final TransportAead aead = new TransportAead();
  private final AtomicLong dropped = new AtomicLong();
  /** Next slot the consumer seals; written by the consumer only. */
  private volatile long head;
  /** Next slot a sender fills; written under the monitor only. */
  private volatile long tail;
  private volatile boolean consumerParked;
  private volatile boolean running = true;

  private static final class Slot {
    final byte[] bytes;
    final ByteBuffer buffer;
    SecretKeySpec key;
    long counter;
    int length;
    int padding;
    InetSocketAddress target;

    Slot(int capacity) {
      bytes = new byte[capacity];
      buffer = ByteBuffer.wrap(bytes);
    }
  }

  /**
   * @param slots queue capacity, a power of two
   * @param maxPlaintext the largest padded plaintext a packet may have (the MTU)
   * @param fullWaitNanos how long a sender waits for a free slot before its packet is dropped
   */
  SendStage(String threadName, int slots, int maxPlaintext, long fullWaitNanos, Link link) {
    if (Integer.bitCount(slots) != 1) {
      throw new IllegalArgumentException("slots must be a power of two, not " + slots);
    }
    this.slots = new Slot[slots];
    this.mask = slots - 1;
    this.packetCapacity = maxPlaintext;
    this.link = link;
    this.fullWaitNanos = fullWaitNanos;
    for (int i = 0; i < slots; i++) {
      this.slots[i] = new Slot(Messages.TRANSPORT_HEADER_LENGTH + maxPlaintext + TransportAead.TAG_LENGTH);
    }
    this.thread = new Thread(this::run, threadName);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * Queues one transport packet: {@code length} bytes of plaintext then {@code padding} zeros,
   * sealed under {@code key} and {@code counter} for the receiver's {@code remoteIndex}.
   *
   * @return false when it was dropped (the queue stayed full, or the stage is closed)
   */
  boolean offer(SecretKeySpec key, int remoteIndex, long counter, byte[] packet, int offset, int length, int padding,
      InetSocketAddress target) {
    if (length + padding > packetCapacity) {
      throw new IllegalArgumentException(
          "packet of " + (length + padding) + " bytes with padding; at most " + packetCapacity);
    }
    synchronized (this) {
      long t = tail;
      if (!running || (t - head >= slots.length && !awaitRoom(t))) {
        dropped.incrementAndGet();
        return false;
      }
      Slot slot = slots[(int) t & mask];
      byte[] bytes = slot.bytes;
      Messages.header(bytes, Messages.TYPE_TRANSPORT);
      Messages.putIntLe(bytes, 4, remoteIndex);
      Messages.putLongLe(bytes, 8, counter);
      System.arraycopy(packet, offset, bytes, Messages.TRANSPORT_HEADER_LENGTH, length);
      slot.key = key;
      slot.counter = counter;
      slot.length = length;
      slot.padding = padding;
      slot.target = target;
      tail = t + 1;
    }
    if (consumerParked) {
      LockSupport.unpark(thread);
    }
    return true;
  }

  /** Packets dropped because the queue stayed full or the stage was closed. */
  long dropped() {
    return dropped.get();
  }

  /** Packets queued and not yet sent. */
  int queued() {
    return (int) (tail - head);
  }

  private boolean awaitRoom(long t) {
    long deadline = System.nanoTime() + fullWaitNanos;
    while (t - head >= slots.length) {
      if (!running || System.nanoTime() - deadline >= 0) {
        return false;
      }
      LockSupport.unpark(thread);
      LockSupport.parkNanos(this, FULL_PARK_NANOS);
    }
    return true;
  }

  private void run() {
    while (running) {
      long h = head;
      if (h == tail) {
        consumerParked = true;
        if (h == tail && running) {
          LockSupport.parkNanos(this, IDLE_PARK_NANOS);
        }
        consumerParked = false;
        continue;
      }
      Slot slot = slots[(int) h & mask];
      try {
        int sealed = aead.sealPadded(slot.key, slot.counter, slot.bytes, Messages.TRANSPORT_HEADER_LENGTH,
            slot.length, slot.padding, slot.bytes, Messages.TRANSPORT_HEADER_LENGTH);
        slot.buffer.clear();
        slot.buffer.limit(Messages.TRANSPORT_HEADER_LENGTH + sealed);
        link.transmit(slot.buffer, slot.target);
      } catch (RuntimeException e) {
        LOG.warn("embedded WireGuard send stage error (packet dropped, continuing): {}", e.toString());
      } finally {
        // no session key outlives its packet here longer than the slot's turn
        slot.key = null;
        slot.target = null;
        head = h + 1;
      }
    }
  }

  /** Stops the thread; packets still queued are not sent. */
  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
