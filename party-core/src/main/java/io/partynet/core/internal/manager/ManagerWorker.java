package io.partynet.core.internal.manager;

import io.partynet.PartyException;
import io.partynet.core.internal.concurrent.DaemonThreads;
import io.partynet.core.internal.concurrent.Shutdown;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's single ordering point: API operations, control-plane events, heartbeats,
 * monitoring ticks and relay notices all run here, one at a time in arrival order, on one thread
 * ({@code partynet-manager}). Nothing else changes the party state, so no part of the manager
 * needs a lock.
 *
 * <p>Work never waits here for the network: a control-plane call is started on the worker and its
 * answer comes back as a new piece of work ({@link #afterCall}), so a stalled server delays only
 * the operation that needs its answer, never the ones queued behind it (issue 16 item 5).
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

  /** Futures of {@link #submitAsync} fail with TIMEOUT after {@code operationBound}. */
  ManagerWorker(String threadName, Duration operationBound) {
    this.operationBound = operationBound;
    this.thread = Executors.newSingleThreadExecutor(DaemonThreads.named(threadName));
  }

  /**
   * Runs {@code operation} in turn; it starts something (a control-plane call) and returns the
   * future of its outcome, which the returned future follows, bounded by the operation bound.
   */
  <T> CompletableFuture<T> submitAsync(String what, Operation<CompletableFuture<T>> operation) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      thread.execute(() -> {
        try {
          operation.run().whenComplete((value, error) -> {
            if (error == null) {
              result.complete(value);
            } else {
              result.completeExceptionally(Futures.toPartyException(error, what));
            }
          });
        } catch (IOException | RuntimeException e) {
          result.completeExceptionally(Futures.toPartyException(e, what));
        }
      });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(closedError());
    }
    return Futures.bounded(result, operationBound, what);
  }

  /** What to do, back on the worker, with the answer of a network call. */
  interface Continuation<T, R> {
    /** Exactly one of {@code value} and {@code error} is meaningful: error is null on success. */
    R apply(T value, PartyException error) throws IOException;
  }

  /**
   * Waits for {@code call} off the worker, at most {@code bound}, then runs {@code continuation}
   * in turn with its value or its typed error (TIMEOUT after the bound). The returned future
   * holds what the continuation returned or threw; it fails with "closed" when the manager
   * closed before the answer could be handled.
   */
  <T, R> CompletableFuture<R> afterCall(String what, CompletableFuture<T> call, Duration bound,
      Continuation<T, R> continuation) {
    CompletableFuture<R> result = new CompletableFuture<>();
    Futures.bounded(call, bound, what).whenComplete((value, error) -> {
      boolean queued = tryEnqueue(what, () -> {
        try {
          result.complete(continuation.apply(value, error == null ? null : Futures.toPartyException(error, what)));
        } catch (IOException | RuntimeException e) {
          result.completeExceptionally(Futures.toPartyException(e, what));
        }
      });
      if (!queued) {
        result.completeExceptionally(closedError());
      }
    });
    return result;
  }

  /** Runs {@code work} in turn; a failure is logged, and work arriving after close is dropped. */
  void enqueue(String what, Runnable work) {
    tryEnqueue(what, work);
  }

  private boolean tryEnqueue(String what, Runnable work) {
    if (closed) {
      return false;
    }
    try {
      thread.execute(() -> {
        try {
          work.run();
        } catch (RuntimeException e) {
          LOG.warn("{} failed: {}", what, e.toString(), e);
        }
      });
      return true;
    } catch (RejectedExecutionException e) {
      LOG.debug("{} skipped: the manager is closed", what);
      return false;
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
    Shutdown.drain(thread, timeout);
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
