package io.partynet.remote.internal;

import java.time.Duration;

/**
 * Waits between retries. Tests inject one that records the delay and returns at once.
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface Sleeper {
  Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}
