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

  /**
   * The latest value written for a key, pending or on disk.
   *
   * @param <T> the value's type
   * @param key the key
   * @param type the class to read the value as
   * @return the value, or empty when the key has none
   */
  <T> Optional<T> read(String key, Class<T> type);

  /**
   * Records a value; it reaches disk after the batch delay.
   *
   * @param key the key
   * @param value a record or another type the JSON mapper can read back
   */
  void write(String key, Object value);

  /**
   * Removes a key; the removal reaches disk after the batch delay.
   *
   * @param key the key
   */
  void remove(String key);

  /**
   * Writes the pending state now.
   *
   * @return completes when the state is durable on disk
   */
  CompletableFuture<Void> flush();

  /** Flushes (bounded by a timeout) and stops the background writer. */
  @Override
  void close();
}
