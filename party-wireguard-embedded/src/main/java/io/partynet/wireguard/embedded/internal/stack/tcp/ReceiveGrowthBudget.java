package io.partynet.wireguard.embedded.internal.stack.tcp;

import io.partynet.wireguard.embedded.internal.stack.StackCounters;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes a {@link TcpStack}'s receive buffers may grow by, together, beyond their initial
 * size ({@link TcpConfig#receiveGrowthBudgetBytes}): autotuning gives fast connections large
 * windows while the stack's memory stays bounded however many connections a peer opens.
 * Thread-safe (connections grow and release under their own monitors).
 */
final class ReceiveGrowthBudget {
  private final long limit;
  private final AtomicLong used = new AtomicLong();
  private final StackCounters counters;

  ReceiveGrowthBudget(long limit, StackCounters counters) {
    this.limit = limit;
    this.counters = counters;
  }

  /** Takes {@code bytes} when they fit; false (counted) when the budget is spent. */
  boolean tryTake(int bytes) {
    while (true) {
      long now = used.get();
      if (now + bytes > limit) {
        counters.tcpReceiveGrowthRefused.incrementAndGet();
        return false;
      }
      if (used.compareAndSet(now, now + bytes)) {
        counters.tcpReceiveBufferGrown.incrementAndGet();
        return true;
      }
    }
  }

  void giveBack(int bytes) {
    used.addAndGet(-bytes);
  }

  /** Bytes taken and not given back yet. */
  long used() {
    return used.get();
  }
}
