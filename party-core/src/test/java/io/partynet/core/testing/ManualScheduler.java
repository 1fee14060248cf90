package io.partynet.core.testing;

import io.partynet.core.internal.manager.PeriodicScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link PeriodicScheduler} whose tasks run only when the test calls {@link #tick()}. Thread-safe. */
public final class ManualScheduler implements PeriodicScheduler {
  private final List<Runnable> tasks = new CopyOnWriteArrayList<>();
  private final List<Duration> periods = new CopyOnWriteArrayList<>();

  @Override
  public AutoCloseable schedule(Duration period, Runnable task) {
    periods.add(period);
    tasks.add(task);
    return () -> tasks.remove(task);
  }

  /** Runs every scheduled task once, on the calling thread. */
  public void tick() {
    tasks.forEach(Runnable::run);
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
