package io.partynet.spi;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Durable key-value state with write-behind batching. A {@link #write} is merged into the pending
 * state and returns at once; the pending state reaches disk after a short batch delay, so many
 * rapid writes cost one disk write. Each disk write is atomic: a crash leaves either the previous
 * or the new state, never a torn file. Disk errors are logged and retried, never thrown into the
 * caller. Values are records or other types the JSON mapper can read back with {@link #read}.
 *
 * <p>Thread-safe.
 */
public interface StatePersister extends AutoCloseable {

  /** The latest value written for {@code key} (pending or on disk), read as {@code type}. */
  <T> Optional<T> read(String key, Class<T> type);

  /** Records {@code value} under {@code key}; reaches disk after the batch delay. */
  void write(String key, Object value);

  /** Removes {@code key}; reaches disk after the batch delay. */
  void remove(String key);

  /** Writes the pending state now; completes when it is durable on disk. */
  CompletableFuture<Void> flush();

  /** Flushes (bounded by a timeout) and stops the background writer. */
  @Override
  void close();
}
