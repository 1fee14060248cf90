package io.partynet.core.internal.persist;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline instead of sleeping and hoping. */
final class Eventually {
  private Eventually() {}

  static void until(Duration timeout, BooleanSupplier condition, Supplier<String> whatFailed) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("not true within " + timeout + ": " + whatFailed.get());
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted while waiting for: " + whatFailed.get());
      }
    }
  }
}
