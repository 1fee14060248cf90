package io.partynet.core.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline instead of sleeping and hoping. Thread-safe (stateless). */
public final class Await {
  private Await() {}

  /** Polls {@code condition} every few milliseconds; fails with {@code message} after {@code timeout}. */
  public static void until(BooleanSupplier condition, Duration timeout, Supplier<String> message) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not true within " + timeout.toMillis() + " ms: " + message.get());
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting: " + message.get(), e);
      }
    }
  }

  public static void until(BooleanSupplier condition, Supplier<String> message) {
    until(condition, Duration.ofSeconds(5), message);
  }
}
