package io.partynet.core.internal.manager;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link PeriodicScheduler} that records what is scheduled and never runs it. Thread-safe. */
final class RecordingScheduler implements PeriodicScheduler {
  private final List<Runnable> tasks = new CopyOnWriteArrayList<>();
  private final List<Duration> periods = new CopyOnWriteArrayList<>();

  @Override
  public AutoCloseable schedule(Duration period, Runnable task) {
    periods.add(period);
    tasks.add(task);
    return () -> tasks.remove(task);
  }

  public int scheduledCount() {
    return tasks.size();
  }

  /** Every period something was scheduled with, in order. */
  public List<Duration> periods() {
    return List.copyOf(periods);
  }

  @Override
  public void close() {
    tasks.clear();
  }
}
