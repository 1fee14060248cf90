package io.partynet.core.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.partynet.core.internal.json.Json;
import io.partynet.spi.StatePersister;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link StatePersister} that keeps JSON text in memory. Values go through the SDK's JSON mapper
 * exactly as on disk, so what a test reads back is what a restart would read. Writes stay pending
 * until {@link #flush()}; a {@link Disk} shared by two persisters stands for the same home
 * directory across a restart (only flushed state survives). Thread-safe.
 */
public final class InMemoryStatePersister implements StatePersister {

  /** The durable part: what survives a restart. Thread-safe. */
  public static final class Disk {
    private final Map<String, String> entries = new ConcurrentHashMap<>();
    private final AtomicInteger writes = new AtomicInteger();

    public Map<String, String> entries() {
      return Map.copyOf(entries);
    }

    public int writes() {
      return writes.get();
    }
  }

  private static final String REMOVED = "\u0000removed";
  private final Disk disk;
  private final Map<String, String> pending = new LinkedHashMap<>();
  private volatile boolean closed;

  public InMemoryStatePersister() {
    this(new Disk());
  }

  public InMemoryStatePersister(Disk disk) {
    this.disk = disk;
  }

  public Disk disk() {
    return disk;
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public synchronized <T> Optional<T> read(String key, Class<T> type) {
    String json = pending.containsKey(key) ? pending.get(key) : disk.entries.get(key);
    if (json == null || json.equals(REMOVED)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.mapper().readValue(json, type));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored value for " + key + " does not read back as " + type, e);
    }
  }

  @Override
  public synchronized void write(String key, Object value) {
    try {
      pending.put(key, Json.mapper().writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("value for " + key + " cannot be written as JSON", e);
    }
  }

  @Override
  public synchronized void remove(String key) {
    pending.put(key, REMOVED);
  }

  @Override
  public synchronized CompletableFuture<Void> flush() {
    if (!pending.isEmpty()) {
      for (Map.Entry<String, String> e : pending.entrySet()) {
        if (e.getValue().equals(REMOVED)) {
          disk.entries.remove(e.getKey());
        } else {
          disk.entries.put(e.getKey(), e.getValue());
        }
      }
      pending.clear();
      disk.writes.incrementAndGet();
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void close() {
    flush();
    closed = true;
  }
}
