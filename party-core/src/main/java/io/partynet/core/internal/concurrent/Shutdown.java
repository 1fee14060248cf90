package io.partynet.core.internal.concurrent;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Stopping the SDK's executors the one way they all stop. Stateless. */
public final class Shutdown {
  private Shutdown() {}

  /**
   * Stops {@code executor} taking new work and waits up to {@code timeout} for what is queued to
   * finish; past the timeout, or when the wait is interrupted (the interrupt is kept for the
   * caller), interrupts what still runs and drops the rest.
   *
   * @param executor the executor to stop
   * @param timeout how long queued work may take
   * @return true when everything queued finished in time
   */
  public static boolean drain(ExecutorService executor, Duration timeout) {
    executor.shutdown();
    try {
      if (executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    executor.shutdownNow();
    return false;
  }
}
