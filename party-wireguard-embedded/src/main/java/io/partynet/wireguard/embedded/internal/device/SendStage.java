package io.partynet.wireguard.embedded.internal.device;

import io.partynet.wireguard.embedded.internal.crypto.TransportAead;
import io.partynet.wireguard.embedded.internal.noise.Messages;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and sends transport packets on a thread of its own, in the order they were queued.
 *
 * <p>Without it, whichever thread made a packet also sealed it and made the {@code sendto} call:
 * for a sending TCP connection that is the device's receive thread (each ACK that arrives lets the
 * stack send more), so decrypting, segment handling, encrypting and the kernel's UDP path all ran
 * on one thread, which bounded throughput while the machine's other core waited. Now a sender
 * copies the plaintext into a slot (with the session's key, counter and endpoint, chosen under the
 * peer's lock) and goes on; this stage seals in place and transmits. A peer queues under its own
 * lock right after taking the counter, so each peer's packets leave in counter order (the
 * receiver's replay window would also accept them reordered, but reordering costs TCP).
 *
 * <p>Bounded and allocation-free as every {@link PacketStage}. Thread-safe.
 */
final class SendStage extends PacketStage<SendStage.Slot> {
  /** What a sealed packet goes out through (the device's socket). */
  interface Link {
    void transmit(ByteBuffer datagram, InetSocketAddress target);
  }

  static final int DEFAULT_SLOTS = 1024;
  /** How long a sender waits for a free slot in a device before its packet is dropped. */
  static final long FULL_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final int maxPlaintext;
  private final Link link;
  private final TransportAead aead = new TransportAead();

  static final class Slot {
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
   * @param maxPlaintext the largest padded plaintext a packet may have (the MTU, rounded up to 16)
   * @param fullWaitNanos how long a sender waits for a free slot before its packet is dropped
   */
  SendStage(String threadName, int slots, int maxPlaintext, long fullWaitNanos, Link link) {
    super(threadName, newSlots(slots, maxPlaintext), fullWaitNanos);
    this.maxPlaintext = maxPlaintext;
    this.link = link;
    start();
  }

  private static Slot[] newSlots(int count, int maxPlaintext) {
    Slot[] slots = new Slot[count];
    for (int i = 0; i < count; i++) {
      slots[i] = new Slot(Messages.TRANSPORT_HEADER_LENGTH + maxPlaintext + TransportAead.TAG_LENGTH);
    }
    return slots;
  }

  /**
   * Queues one transport packet: {@code length} bytes of plaintext then {@code padding} zeros,
   * sealed under {@code key} and {@code counter} for the receiver's {@code remoteIndex}.
   *
   * @return false when it was dropped (the queue stayed full, or the stage is closed)
   */
  boolean offer(SecretKeySpec key, int remoteIndex, long counter, byte[] packet, int offset, int length, int padding,
      InetSocketAddress target) {
    if (length + padding > maxPlaintext) {
      throw new IllegalArgumentException(
          "packet of " + (length + padding) + " bytes with padding; at most " + maxPlaintext);
    }
    synchronized (this) {
      Slot slot = claim();
      if (slot == null) {
        return false;
      }
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
      publish();
    }
    wakeConsumer();
    return true;
  }

  @Override
  protected void process(Slot slot) {
    try {
      int sealed = aead.sealPadded(slot.key, slot.counter, slot.bytes, Messages.TRANSPORT_HEADER_LENGTH,
          slot.length, slot.padding, slot.bytes, Messages.TRANSPORT_HEADER_LENGTH);
      slot.buffer.clear();
      slot.buffer.limit(Messages.TRANSPORT_HEADER_LENGTH + sealed);
      link.transmit(slot.buffer, slot.target);
    } finally {
      // no session key stays referenced here beyond its packet's turn
      slot.key = null;
      slot.target = null;
    }
  }
}
