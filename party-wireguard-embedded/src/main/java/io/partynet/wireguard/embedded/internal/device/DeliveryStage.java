package io.partynet.wireguard.embedded.internal.device;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Hands decrypted, authenticated, source-checked packets to the {@link PacketSink} (the IPv4 stack)
 * on a thread of its own, in the order the device's receive thread queued them.
 *
 * <p>The receive thread reads the socket and decrypts (a packet's counter passes the replay window
 * there, in arrival order, exactly as before); segment processing, copies into receive buffers and
 * the wake-ups of readers run here. That splits the receiving direction's work over two threads,
 * where it all ran on one. Order is kept because there is one queue and one consumer: packets reach
 * the stack in the order their counters were accepted.
 *
 * <p>Slots hold {@code capacity} bytes (the MTU or more); a longer packet (a peer with a larger
 * MTU) is delivered by the receive thread itself once the queue is empty, so it does not overtake,
 * and so is a small packet (a pure ACK) that finds the queue empty ({@link TransportReceiver}).
 * Bounded and allocation-free as every {@link PacketStage}. Thread-safe.
 */
final class DeliveryStage extends PacketStage<DeliveryStage.Slot> {
  static final int DEFAULT_SLOTS = 1024;
  /** How long the receive thread waits for a free slot before a packet is dropped. */
  static final long FULL_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final Supplier<PacketSink> sink;
  private final int capacity;

  static final class Slot {
    final byte[] bytes;
    int length;

    Slot(int capacity) {
      bytes = new byte[capacity];
    }
  }

  DeliveryStage(String threadName, int slots, int capacity, long fullWaitNanos, Supplier<PacketSink> sink) {
    super(threadName, newSlots(slots, capacity), fullWaitNanos);
    this.sink = sink;
    this.capacity = capacity;
    start();
  }

  private static Slot[] newSlots(int count, int capacity) {
    Slot[] slots = new Slot[count];
    for (int i = 0; i < count; i++) {
      slots[i] = new Slot(capacity);
    }
    return slots;
  }

  /** The largest packet a slot holds. */
  int capacity() {
    return capacity;
  }

  /** Under the monitor: a slot to decrypt into, or null (dropped and counted). */
  Slot claimSlot() {
    return claim();
  }

  /** Under the monitor: queues the claimed slot holding a packet of {@code length} bytes. */
  void publish(Slot slot, int length) {
    slot.length = length;
    publish();
  }

  @Override
  protected void process(Slot slot) {
    sink.get().deliver(slot.bytes, 0, slot.length);
  }
}
