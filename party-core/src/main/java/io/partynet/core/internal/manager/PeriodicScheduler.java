package io.partynet.core.internal.manager;

import io.partynet.core.internal.concurrent.DaemonThreads;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs periodic background work (heartbeats). The manager takes one so tests can drive ticks by
 * hand instead of sleeping. Implementations are thread-safe.
 */
public interface PeriodicScheduler extends AutoCloseable {

  /** Runs {@code task} every {@code period}, first after one period; closing the handle stops it. */
  AutoCloseable schedule(Duration period, Runnable task);

  /** Stops all scheduled work. */
  @Override
  void close();

  /** A scheduler backed by one daemon thread named {@code threadName}. */
  static PeriodicScheduler daemon(String threadName) {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(threadName));
    return new PeriodicScheduler() {
      @Override
      public AutoCloseable schedule(Duration period, Runnable task) {
        long millis = period.toMillis();
        ScheduledFuture<?> future = executor.scheduleAtFixedRate(task, millis, millis, TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
      }

      @Override
      public void close() {
        executor.shutdownNow();
      }
    };
  }
}
