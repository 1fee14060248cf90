package io.partynet.server.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ControlServer}'s background work on one daemon thread: the stale-member cleanup every
 * cleanup interval, saving state every second (one instance without {@code --shared}) and the
 * expiry of unused registrations hourly. A task that fails is logged and runs again at its next
 * turn. Thread-safe.
 */
final class MaintenanceTasks implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceTasks.class);

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "partynet-server-maintenance");
    t.setDaemon(true);
    return t;
  });

  /** Starts the tasks; {@code flush} is null when every change is written at once ({@code --shared}). */
  MaintenanceTasks(Duration cleanupInterval, Runnable cleanup, Runnable flush, Runnable expireRegistrations) {
    long cleanupMillis = cleanupInterval.toMillis();
    scheduler.scheduleWithFixedDelay(quietly(cleanup, "cleanup failed; will retry"),
        cleanupMillis, cleanupMillis, TimeUnit.MILLISECONDS);
    if (flush != null) {
      scheduler.scheduleWithFixedDelay(quietly(flush, "saving state failed; will retry"), 1, 1, TimeUnit.SECONDS);
    }
    scheduler.scheduleWithFixedDelay(quietly(expireRegistrations, "expiring registrations failed; will retry"),
        1, 60, TimeUnit.MINUTES);
  }

  /** {@code task}, logging a failure instead of ending its schedule (the scheduler stops a task that throws). */
  private static Runnable quietly(Runnable task, String failure) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.atError().setMessage(failure).setCause(e).log();
      }
    };
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
