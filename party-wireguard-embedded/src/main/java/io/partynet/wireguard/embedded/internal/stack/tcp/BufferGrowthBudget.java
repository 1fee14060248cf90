package io.partynet.wireguard.embedded.internal.stack.tcp;

import io.partynet.wireguard.embedded.internal.stack.StackCounters;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes a {@link TcpStack}'s send and receive buffers may grow by, together, beyond their
 * initial sizes ({@link TcpConfig#bufferGrowthBudgetBytes}): autotuning gives fast connections
 * large windows while the stack's memory stays bounded however many connections a peer opens.
 * Thread-safe (connections grow and release under their own monitors).
 */
final class BufferGrowthBudget {
  private final long limit;
  private final AtomicLong used = new AtomicLong();
  private final StackCounters counters;

  BufferGrowthBudget(long limit, StackCounters counters) {
    this.limit = limit;
    this.counters = counters;
  }

  /** Takes {@code bytes} when they fit; false (counted) when the budget is spent. */
  boolean tryTake(int bytes) {
    while (true) {
      long now = used.get();
      if (now + bytes > limit) {
        counters.tcpBufferGrowthRefused.incrementAndGet();
        return false;
      }
      if (used.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  void giveBack(int bytes) {
    used.addAndGet(-bytes);
  }

  StackCounters counters() {
    return counters;
  }

  /** Bytes taken and not given back yet. */
  long used() {
    return used.get();
  }
}
