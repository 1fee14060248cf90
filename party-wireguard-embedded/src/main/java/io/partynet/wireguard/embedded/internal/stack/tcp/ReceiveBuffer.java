package io.partynet.wireguard.embedded.internal.stack.tcp;

/**
 * Received bytes in a ring: the in-order bytes the application has not read yet, followed by the
 * receive window, into which out-of-order segments are written at their place and remembered as
 * at most {@value #MAX_RANGES} sequence ranges (a segment that would need more is dropped and
 * retransmitted later). RCV.NXT advances over ranges as holes fill. The right edge of the window
 * (RCV.NXT + free space) never moves left. The ring may {@link #grow} up to a maximum, each
 * growth paid from the stack's {@link BufferGrowthBudget} and given back on {@link #release}.
 * Not thread-safe (guarded by the connection).
 */
final class ReceiveBuffer {
  static final int MAX_RANGES = 8;

  private final BufferGrowth growth;
  private int capacity;
  /** Allocated with the first data and dropped on {@link #release}: idle and half-open connections hold none. */
  private byte[] ring;
  private int head;
  private int readable;
  /** RCV.NXT: the sequence number of the byte after the readable ones. */
  private int next;
  private final int[] rangeStart = new int[MAX_RANGES];
  private final int[] rangeEnd = new int[MAX_RANGES];
  private int ranges;

  /** A buffer of fixed size. */
  ReceiveBuffer(int capacity, int initialNext) {
    this(capacity, capacity, null, initialNext);
  }

  /** A buffer that may grow from {@code capacity} to {@code maxCapacity}, paid from {@code budget}. */
  ReceiveBuffer(int capacity, int maxCapacity, BufferGrowthBudget budget, int initialNext) {
    this.capacity = capacity;
    this.growth = new BufferGrowth(capacity, maxCapacity, budget,
        budget == null ? null : budget.counters().tcpReceiveBufferGrown);
    next = initialNext;
  }

  /** Starts the sequence space (RCV.NXT = IRS + 1) once the peer's SYN arrived. */
  void reset(int initialNext) {
    next = initialNext;
    ranges = 0;
  }

  /** Drops the ring and gives its growth back to the budget; safe to call more than once. */
  void release() {
    ring = null;
    readable = 0;
    head = 0;
    ranges = 0;
    growth.giveBack();
    capacity = growth.initialCapacity();
  }

  /** Whether {@link #grow} could still add room (below the maximum; the budget may still refuse). */
  boolean canGrow() {
    return growth.canGrow(capacity);
  }

  /**
   * Doubles the capacity, at most to the maximum, when the budget has the bytes: the window's
   * right edge moves right by the added room, the bytes held keep their sequence numbers.
   * Returns whether it grew.
   */
  boolean grow() {
    int target = growth.takeDoubling(capacity);
    if (target < 0) {
      return false;
    }
    if (ring != null) {
      byte[] larger = new byte[target];
      int tail = ring.length - head;
      System.arraycopy(ring, head, larger, 0, tail);
      System.arraycopy(ring, 0, larger, tail, head);
      ring = larger;
      head = 0;
    }
    capacity = target;
    return true;
  }

  int next() {
    return next;
  }

  int readable() {
    return readable;
  }

  /** The receive window: free space after the readable bytes. */
  int window() {
    return capacity - readable;
  }

  int capacity() {
    return capacity;
  }

  boolean hasOutOfOrderData() {
    return ranges > 0;
  }

  /** Skips sequence space without data (a FIN) once RCV.NXT reached it. */
  void advancePastControl() {
    next++;
  }

  /**
   * Stores the bytes of a segment starting at sequence {@code seq}; parts outside the window or
   * already received are ignored. Returns how far RCV.NXT advanced.
   */
  int store(int seq, byte[] src, int offset, int length) {
    int window = window();
    int skip = next - seq;
    if (skip > 0) {
      if (skip >= length) {
        return 0;
      }
      seq += skip;
      offset += skip;
      length -= skip;
    }
    int distance = seq - next;
    if (length <= 0 || distance >= window) {
      return 0;
    }
    length = Math.min(length, window - distance);
    if (distance > 0 && !remember(seq, seq + length)) {
      return 0;
    }
    if (ring == null) {
      ring = new byte[capacity];
    }
    int start = (head + readable + distance) % ring.length;
    int first = Math.min(length, ring.length - start);
    System.arraycopy(src, offset, ring, start, first);
    System.arraycopy(src, offset + first, ring, 0, length - first);
    if (distance > 0) {
      return 0;
    }
    int advanced = length;
    next += length;
    advanced += absorbRanges();
    readable += advanced;
    return advanced;
  }

  /** Moves RCV.NXT over remembered ranges it now reaches; returns the bytes gained. */
  private int absorbRanges() {
    int gained = 0;
    boolean merged = true;
    while (merged) {
      merged = false;
      for (int i = 0; i < ranges; i++) {
        if (Seq.le(rangeStart[i], next)) {
          if (Seq.gt(rangeEnd[i], next)) {
            gained += rangeEnd[i] - next;
            next = rangeEnd[i];
          }
          removeRange(i);
          merged = true;
          break;
        }
      }
    }
    return gained;
  }

  private boolean remember(int start, int end) {
    for (int i = 0; i < ranges; i++) {
      if (Seq.le(rangeStart[i], end) && Seq.ge(rangeEnd[i], start)) {
        int mergedStart = Seq.lt(start, rangeStart[i]) ? start : rangeStart[i];
        int mergedEnd = Seq.max(end, rangeEnd[i]);
        removeRange(i);
        return remember(mergedStart, mergedEnd);
      }
    }
    if (ranges == MAX_RANGES) {
      return false;
    }
    rangeStart[ranges] = start;
    rangeEnd[ranges] = end;
    ranges++;
    return true;
  }

  private void removeRange(int i) {
    ranges--;
    rangeStart[i] = rangeStart[ranges];
    rangeEnd[i] = rangeEnd[ranges];
  }

  /** Copies up to {@code length} readable bytes out; returns how many. */
  int read(byte[] dst, int offset, int length) {
    int n = Math.min(length, readable);
    if (n == 0) {
      return 0;
    }
    int first = Math.min(n, ring.length - head);
    System.arraycopy(ring, head, dst, offset, first);
    System.arraycopy(ring, 0, dst, offset + first, n - first);
    head = (head + n) % ring.length;
    readable -= n;
    return n;
  }
}
