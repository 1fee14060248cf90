package io.partynet.wireguard.embedded.internal.stack.tcp;

/**
 * The bytes an application wrote that the peer has not acknowledged yet, in a ring: byte 0 is the
 * one at SND.UNA. Segments (first transmissions and retransmissions) copy straight out of it into
 * the packet buffer. The ring may {@link #grow} up to a maximum, each growth paid from the stack's
 * {@link BufferGrowthBudget} and given back on {@link #release}. Not thread-safe (guarded by the
 * connection).
 */
final class SendBuffer {
  private final BufferGrowth growth;
  private int capacity;
  /** Allocated on the first write and dropped on {@link #release}: idle and half-open connections hold none. */
  private byte[] ring;
  private int head;
  private int size;

  /** A buffer of fixed size. */
  SendBuffer(int capacity) {
    this(capacity, capacity, null);
  }

  /** A buffer that may grow from {@code capacity} to {@code maxCapacity}, paid from {@code budget}. */
  SendBuffer(int capacity, int maxCapacity, BufferGrowthBudget budget) {
    this.capacity = capacity;
    this.growth = new BufferGrowth(capacity, maxCapacity, budget,
        budget == null ? null : budget.counters().tcpSendBufferGrown);
  }

  /** Drops the ring and gives its growth back to the budget; safe to call more than once. */
  void release() {
    ring = null;
    size = 0;
    head = 0;
    growth.giveBack();
    capacity = growth.initialCapacity();
  }

  boolean canGrow() {
    return growth.canGrow(capacity);
  }

  /**
   * Doubles the capacity, at most to the maximum, when the budget has the bytes; the buffered
   * bytes keep their offsets from SND.UNA. Returns whether it grew.
   */
  boolean grow() {
    int target = growth.takeDoubling(capacity);
    if (target < 0) {
      return false;
    }
    if (ring != null) {
      byte[] larger = new byte[target];
      copy(0, larger, 0, size);
      ring = larger;
      head = 0;
    }
    capacity = target;
    return true;
  }

  int size() {
    return size;
  }

  int free() {
    return capacity - size;
  }

  int capacity() {
    return capacity;
  }

  /** Appends up to {@code length} bytes; returns how many fit. */
  int write(byte[] src, int offset, int length) {
    int n = Math.min(length, free());
    if (n == 0) {
      return 0;
    }
    if (ring == null) {
      ring = new byte[capacity];
    }
    int tail = (head + size) % ring.length;
    int first = Math.min(n, ring.length - tail);
    System.arraycopy(src, offset, ring, tail, first);
    System.arraycopy(src, offset + first, ring, 0, n - first);
    size += n;
    return n;
  }

  /** Copies {@code length} bytes starting {@code from} bytes after SND.UNA into {@code out}. */
  void copy(int from, byte[] out, int outOffset, int length) {
    int start = (head + from) % ring.length;
    int first = Math.min(length, ring.length - start);
    System.arraycopy(ring, start, out, outOffset, first);
    System.arraycopy(ring, 0, out, outOffset + first, length - first);
  }

  /** Drops {@code n} acknowledged bytes. */
  void acknowledge(int n) {
    if (n == 0) {
      return;
    }
    head = (head + n) % ring.length;
    size -= n;
  }
}
