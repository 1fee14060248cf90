package io.partynet.core.internal.manager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's periodic work: a heartbeat at the configured interval (which also retries the
 * removal of abandoned joins and resumes a dropped party) and connection monitoring every
 * {@link #MONITOR_INTERVAL}. The scheduler only queues each tick on the worker, so a tick never
 * runs beside an operation or an event, and a slow tick delays the next one instead of overlapping it.
 */
final class ManagerTicks implements AutoCloseable {
  /** How often links are checked and members pinged for latency. */
  static final Duration MONITOR_INTERVAL = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger(ManagerTicks.class);

  private final List<AutoCloseable> schedules = new ArrayList<>();

  /** Schedules the ticks on {@code scheduler}; {@link #close} stops them. */
  ManagerTicks(PeriodicScheduler scheduler, Duration heartbeatInterval, ManagerWorker worker, PartyEntry entry,
      Membership membership) {
    schedules.add(scheduler.schedule(heartbeatInterval, () -> worker.enqueue("heartbeat", () -> {
      entry.retryAbandoned();
      membership.heartbeat();
    })));
    schedules.add(scheduler.schedule(MONITOR_INTERVAL,
        () -> worker.enqueue("connection monitoring", membership::monitor)));
  }

  @Override
  public void close() {
    for (AutoCloseable schedule : schedules) {
      try {
        schedule.close();
      } catch (Exception e) {
        LOG.warn("stopping a periodic task failed: {}", e.toString());
      }
    }
  }
}
