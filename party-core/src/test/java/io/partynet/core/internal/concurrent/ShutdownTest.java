package io.partynet.core.internal.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ShutdownTest {
  private static final long WAIT_SECONDS = 30;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(DaemonThreads.named("shutdown-test"));
  /** Never counted down: a task waiting on it finishes only by being interrupted. */
  private final CountDownLatch never = new CountDownLatch(1);
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch interrupted = new CountDownLatch(1);

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void queuedWorkFinishesBeforeTheExecutorStops() {
    AtomicInteger done = new AtomicInteger();
    for (int i = 0; i < 5; i++) {
      executor.execute(done::incrementAndGet);
    }
    assertTrue(Shutdown.drain(executor, Duration.ofSeconds(WAIT_SECONDS)));
    assertEquals(5, done.get());
    assertTrue(executor.isTerminated());
  }

  @Test
  void workStillRunningAfterTheTimeoutIsInterrupted() throws InterruptedException {
    executor.execute(this::waitForever);
    // Running, not queued: shutdownNow drops queued tasks without running them.
    assertTrue(started.await(WAIT_SECONDS, TimeUnit.SECONDS));
    assertFalse(Shutdown.drain(executor, Duration.ofMillis(50)));
    assertTrue(interrupted.await(WAIT_SECONDS, TimeUnit.SECONDS), "the stuck task was interrupted");
    assertTrue(executor.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void anInterruptedCallerStopsTheExecutorAtOnceAndKeepsItsInterrupt() throws InterruptedException {
    executor.execute(this::waitForever);
    // Running, not queued: shutdownNow drops queued tasks without running them.
    assertTrue(started.await(WAIT_SECONDS, TimeUnit.SECONDS));
    Thread.currentThread().interrupt();
    boolean drained = Shutdown.drain(executor, Duration.ofSeconds(WAIT_SECONDS));
    assertTrue(Thread.interrupted(), "the caller's interrupt is kept");
    assertFalse(drained);
    assertTrue(interrupted.await(WAIT_SECONDS, TimeUnit.SECONDS), "the running task was interrupted");
  }

  private void waitForever() {
    started.countDown();
    try {
      never.await();
    } catch (InterruptedException e) {
      interrupted.countDown();
    }
  }
}
