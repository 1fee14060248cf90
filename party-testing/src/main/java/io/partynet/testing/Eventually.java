package io.partynet.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline instead of sleeping and hoping. Thread-safe (stateless). */
public final class Eventually {
  private static final long POLL_MILLIS = 2;

  private Eventually() {}

  /** Polls {@code condition} until it holds; fails the test with {@code whatFailed} after {@code timeout}. */
  public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> whatFailed) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("not true within " + timeout + ": " + whatFailed.get());
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted while waiting for: " + whatFailed.get());
      }
    }
  }

  public static void until(Duration timeout, BooleanSupplier condition, String what) {
    until(timeout, condition, () -> what);
  }
}
