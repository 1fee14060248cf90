package io.partynet.core.internal.nat.turn;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** What the TURN classes ask of their futures, said once. Stateless and thread-safe. */
final class TurnFutures {
  private TurnFutures() {}

  /** Whether {@code future} is there and completed normally. */
  static boolean succeeded(CompletableFuture<?> future) {
    return future != null && future.isDone() && !future.isCompletedExceptionally();
  }

  /** The exception a failed future failed with. */
  static Throwable causeOf(CompletableFuture<?> failed) {
    try {
      failed.join();
      throw new IllegalStateException("future did not fail");
    } catch (CompletionException e) {
      return unwrap(e);
    }
  }

  /** The exception a dependent stage saw, without the {@link CompletionException} around it. */
  static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }
}
