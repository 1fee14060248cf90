package io.partynet.core.internal.manager;

import io.partynet.BackendUnavailableException;
import io.partynet.PartyException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bounded waiting on futures, and the translation of whatever went wrong into the typed
 * {@link PartyException} the SDK promises. Stateless and thread-safe.
 */
final class Futures {
  private Futures() {}

  /** Waits at most {@code timeout} for {@code future}; every failure comes out as a PartyException. */
  static <T> T await(Future<T> future, Duration timeout, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw PartyException.of(PartyException.Reason.INTERNAL, what + " was interrupted", e);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw timedOut(what, timeout);
    } catch (ExecutionException e) {
      throw toPartyException(e.getCause(), what);
    } catch (CancellationException e) {
      throw PartyException.of(PartyException.Reason.INTERNAL, what + " was cancelled", e);
    }
  }

  /** A future that fails with a typed TIMEOUT error when {@code source} takes longer than {@code timeout}. */
  static <T> CompletableFuture<T> bounded(CompletableFuture<T> source, Duration timeout, String what) {
    CompletableFuture<T> result = new CompletableFuture<>();
    source.whenComplete((value, error) -> {
      if (error == null) {
        result.complete(value);
      } else {
        result.completeExceptionally(toPartyException(error, what));
      }
    });
    CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .execute(() -> result.completeExceptionally(timedOut(what, timeout)));
    return result;
  }

  static PartyException timedOut(String what, Duration timeout) {
    return PartyException.of(PartyException.Reason.TIMEOUT, what + " did not finish within "
        + timeout.toMillis() + " ms; check that the control plane is running and reachable, then retry");
  }

  /** Unwraps completion wrappers and maps anything that is not yet a PartyException. */
  static PartyException toPartyException(Throwable error, String what) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof PartyException party) {
      return party;
    }
    if (cause instanceof TimeoutException) {
      return PartyException.of(PartyException.Reason.TIMEOUT, what + " timed out; retry later", cause);
    }
    if (cause instanceof IOException) {
      return new BackendUnavailableException(what + " failed: " + cause.getMessage()
          + ". Check the network backend (or run with network.backend=off)", cause);
    }
    if (cause instanceof IllegalArgumentException) {
      return PartyException.of(PartyException.Reason.INVALID_ARGUMENT, what + ": " + cause.getMessage(), cause);
    }
    return PartyException.of(PartyException.Reason.INTERNAL, what + " failed unexpectedly: " + cause, cause);
  }
}
