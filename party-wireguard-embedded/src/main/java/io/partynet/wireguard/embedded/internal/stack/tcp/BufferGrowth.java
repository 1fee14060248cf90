package io.partynet.wireguard.embedded.internal.stack.tcp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How far one send or receive buffer may still grow, and what it took from the stack's
 * {@link BufferGrowthBudget}: its capacity doubles up to a maximum, each doubling paid from the
 * budget, and everything goes back at once when the connection releases the buffer. A buffer
 * without a budget has a fixed size. Not thread-safe (guarded by the buffer's connection).
 */
final class BufferGrowth {
  private final int initialCapacity;
  private final int maxCapacity;
  private final BufferGrowthBudget budget;
  /** Counts the growths of this kind of buffer. */
  private final AtomicLong grown;
  /** Bytes beyond the initial capacity, taken from the budget. */
  private int grownBy;

  /**
   * @param budget what growth is paid from; null for a buffer of fixed size
   * @param grown the counter of this kind of buffer's growths (unused without a budget)
   */
  BufferGrowth(int initialCapacity, int maxCapacity, BufferGrowthBudget budget, AtomicLong grown) {
    this.initialCapacity = initialCapacity;
    this.maxCapacity = budget == null ? initialCapacity : maxCapacity;
    this.budget = budget;
    this.grown = grown;
  }

  int initialCapacity() {
    return initialCapacity;
  }

  /** Whether a buffer of {@code capacity} is below the maximum (the budget may still refuse). */
  boolean canGrow(int capacity) {
    return capacity < maxCapacity;
  }

  /**
   * The doubled capacity (at most the maximum) when the budget grants the added bytes, which are
   * then this buffer's until {@link #giveBack}; -1 when it cannot grow.
   */
  int takeDoubling(int capacity) {
    if (capacity >= maxCapacity) {
      return -1;
    }
    int target = (int) Math.min(2L * capacity, maxCapacity);
    if (!budget.tryTake(target - capacity)) {
      return -1;
    }
    grown.incrementAndGet();
    grownBy += target - capacity;
    return target;
  }

  /** Gives every byte taken back to the budget; safe to call more than once. */
  void giveBack() {
    if (grownBy > 0) {
      budget.giveBack(grownBy);
      grownBy = 0;
    }
  }
}
