package io.partynet.core.internal.manager;

import io.partynet.PartyException;
import io.partynet.core.internal.concurrent.DaemonThreads;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's single ordering point: API operations, control-plane events, heartbeats,
 * monitoring ticks and relay notices all run here, one at a time in arrival order, on one thread
 * ({@code partynet-manager}). Nothing else changes the party state, so no part of the manager
 * needs a lock.
 *
 * <p>Thread-safe: any thread may submit.
 */
final class ManagerWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ManagerWorker.class);

  /** A piece of work that may fail with an I/O error (a backend refusing). */
  interface Operation<T> {
    T run() throws IOException;
  }

  private final ExecutorService thread;
  private final Duration operationBound;
  private final Executor events = this::executeEvent;
  private volatile boolean closed;

  /** Futures of {@link #submit} fail with TIMEOUT after {@code operationBound}. */
  ManagerWorker(String threadName, Duration operationBound) {
    this.operationBound = operationBound;
    this.thread = Executors.newSingleThreadExecutor(DaemonThreads.named(threadName));
  }

  /** Runs {@code operation} in turn; the future fails with a typed PartyException, or TIMEOUT. */
  <T> CompletableFuture<T> submit(String what, Operation<T> operation) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      thread.execute(() -> {
        try {
          result.complete(operation.run());
        } catch (IOException | RuntimeException e) {
          result.completeExceptionally(Futures.toPartyException(e, what));
        }
      });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(closedError());
    }
    return Futures.bounded(result, operationBound, what);
  }

  /** Runs {@code work} in turn; a failure is logged, and work arriving after close is dropped. */
  void enqueue(String what, Runnable work) {
    if (closed) {
      return;
    }
    try {
      thread.execute(() -> {
        try {
          work.run();
        } catch (RuntimeException e) {
          LOG.warn("{} failed: {}", what, e.toString(), e);
        }
      });
    } catch (RejectedExecutionException e) {
      LOG.debug("{} skipped: the manager is closed", what);
    }
  }

  /**
   * This worker as an {@link Executor} for control-plane events: each runs in turn, in the order
   * the control plane handed them over, and never throws back into the control plane.
   */
  Executor events() {
    return events;
  }

  /** Lets queued work finish (bounded by {@code timeout}), then stops the thread. */
  void close(Duration timeout) {
    closed = true;
    thread.shutdown();
    try {
      if (!thread.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      thread.shutdownNow();
    }
  }

  /** Stops the thread now, dropping queued work (a manager that failed to start). */
  @Override
  public void close() {
    closed = true;
    thread.shutdownNow();
  }

  private void executeEvent(Runnable event) {
    enqueue("control-plane event", event);
  }

  static PartyException closedError() {
    return PartyException.of(PartyException.Reason.INTERNAL, "The party manager is closed: build a new one");
  }
}
