package io.partynet.core.internal.persist;

import io.partynet.protocol.internal.files.AtomicFiles;
import io.partynet.protocol.internal.files.Quarantine;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partynet.PartyConfig;
import io.partynet.core.internal.concurrent.DaemonThreads;
import io.partynet.core.internal.json.Json;
import io.partynet.spi.Backoff;
import io.partynet.spi.StatePersister;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StatePersister} that keeps the whole state as one JSON object {@code {key: value}} in
 * one file. Writes are merged into memory and reach disk together after the batch delay, in one
 * atomic replacement of the file ({@link AtomicFiles}); a failed disk write is logged and retried
 * with exponential backoff while the state stays pending. A file that does not parse when the
 * persister opens is moved aside as {@code <name>.corrupt-<timestamp>}, never deleted.
 *
 * <p>Thread-safe: any thread may write, read and flush; disk writes happen one at a time on the
 * scheduler's thread.
 */
public final class WriteBehindStatePersister implements StatePersister {
  private static final Logger log = LoggerFactory.getLogger(WriteBehindStatePersister.class);

  private final Path file;
  private final Duration batchDelay;
  private final Duration closeTimeout;
  /** One writer, so no jitter: the delay simply doubles per consecutive failure. */
  private final Backoff retryBackoff;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final ObjectMapper mapper = Json.mapper();
  private final AtomicLong diskWrites = new AtomicLong();
  private final AtomicLong failedDiskWrites = new AtomicLong();
  private final Object diskLock = new Object();

  private final Object lock = new Object();
  private final Map<String, JsonNode> state;
  private final List<Waiter> waiters = new ArrayList<>();
  private long version;
  private long durableVersion;
  private boolean flushScheduled;
  private int consecutiveFailures;
  private boolean closed;

  private WriteBehindStatePersister(Builder b, Map<String, JsonNode> loaded) {
    file = b.file;
    batchDelay = b.batchDelay;
    closeTimeout = b.closeTimeout;
    retryBackoff = Backoff.withoutJitter(b.retryInitial, b.retryMax);
    ownsScheduler = b.scheduler == null;
    scheduler = ownsScheduler
        ? Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("partynet-state-writer")) : b.scheduler;
    state = loaded;
  }

  /** Opens the state file of {@code config} with its batch delay. */
  public static WriteBehindStatePersister open(PartyConfig config) throws IOException {
    return builder(config.stateFile()).batchDelay(config.persistBatchDelay()).open();
  }

  public static Builder builder(Path file) {
    return new Builder(file);
  }

  @Override
  public <T> Optional<T> read(String key, Class<T> type) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    JsonNode node;
    synchronized (lock) {
      node = state.get(key);
    }
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    try {
      return Optional.of(mapper.treeToValue(node, type));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalArgumentException("state key '" + key + "' in " + file
          + " cannot be read as " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void write(String key, Object value) {
    Objects.requireNonNull(key, "key");
    // Converting now takes a snapshot: later changes to a mutable value do not leak into state.
    JsonNode node;
    try {
      node = mapper.valueToTree(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("value for state key '" + key + "' cannot be written as JSON: "
          + e.getMessage(), e);
    }
    synchronized (lock) {
      requireOpen();
      state.put(key, node);
      changed();
    }
  }

  @Override
  public void remove(String key) {
    Objects.requireNonNull(key, "key");
    synchronized (lock) {
      requireOpen();
      if (state.remove(key) != null) {
        changed();
      }
    }
  }

  @Override
  public CompletableFuture<Void> flush() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (lock) {
      if (version == durableVersion) {
        done.complete(null);
        return done;
      }
      waiters.add(new Waiter(version, done));
    }
    try {
      scheduler.execute(this::writePending);
    } catch (RejectedExecutionException e) {
      failWaiters(new IOException("state persister for " + file + " is closed; pending state was not written"));
    }
    return done;
  }

  /** How many times the state file has been replaced on disk since this persister opened. */
  public long diskWrites() {
    return diskWrites.get();
  }

  /** How many attempts to replace the state file have failed (each is retried). */
  public long failedDiskWrites() {
    return failedDiskWrites.get();
  }

  /** The file this persister writes. */
  public Path file() {
    return file;
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      flush().get(closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.error("State for {} was not durable within {}; the last changes are lost. Check that the "
          + "directory is writable and the disk is not full.", file, closeTimeout);
    } catch (ExecutionException e) {
      log.error("Final flush of {} failed; the last changes are lost", file, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.error("Interrupted while flushing {}; the last changes may be lost", file);
    } finally {
      if (ownsScheduler) {
        scheduler.shutdownNow();
      }
      failWaiters(new IOException("state persister for " + file + " closed before the state was durable"));
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("state persister for " + file + " is closed");
    }
  }

  /** Called with {@link #lock} held after every change. */
  private void changed() {
    version++;
    if (!flushScheduled) {
      flushScheduled = true;
      schedule(batchDelay);
    }
  }

  private void schedule(Duration delay) {
    try {
      scheduler.schedule(this::writePending, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      log.error("State writer for {} has stopped; pending state is not written", file);
    }
  }

  private void writePending() {
    synchronized (diskLock) {
      long snapshotVersion;
      ObjectNode snapshot = mapper.createObjectNode();
      synchronized (lock) {
        flushScheduled = false;
        snapshotVersion = version;
        if (snapshotVersion == durableVersion) {
          completeWaiters(snapshotVersion);
          return;
        }
        // Stored nodes are never mutated after write(), so sharing them in the snapshot is safe.
        snapshot.setAll(state);
      }
      try {
        AtomicFiles.write(file, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(snapshot), PrivateFiles.FILE);
        diskWrites.incrementAndGet();
        synchronized (lock) {
          durableVersion = Math.max(durableVersion, snapshotVersion);
          if (consecutiveFailures > 0) {
            log.info("State file {} written again after {} failed attempts", file, consecutiveFailures);
          }
          consecutiveFailures = 0;
          completeWaiters(durableVersion);
        }
      } catch (IOException | RuntimeException e) {
        failedDiskWrites.incrementAndGet();
        synchronized (lock) {
          consecutiveFailures++;
          Duration retry = retryBackoff.delay(consecutiveFailures - 1);
          log.warn("Could not write state file {} (attempt {}), retrying in {} ms; the state stays "
              + "pending in memory: {}", file, consecutiveFailures, retry.toMillis(), e.toString());
          if (!flushScheduled) {
            flushScheduled = true;
            schedule(retry);
          }
        }
      }
    }
  }

  /** Called with {@link #lock} held. */
  private void completeWaiters(long durable) {
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter waiter = it.next();
      if (waiter.version <= durable) {
        it.remove();
        waiter.future.complete(null);
      }
    }
  }

  private void failWaiters(IOException cause) {
    List<Waiter> failed;
    synchronized (lock) {
      failed = new ArrayList<>(waiters);
      waiters.clear();
    }
    failed.forEach(w -> w.future.completeExceptionally(cause));
  }

  private static Map<String, JsonNode> load(Path file, Clock clock) throws IOException {
    Map<String, JsonNode> loaded = new TreeMap<>();
    if (!Files.exists(file)) {
      return loaded;
    }
    byte[] bytes = Files.readAllBytes(file);
    JsonNode root;
    try {
      root = Json.mapper().readTree(bytes);
    } catch (JsonProcessingException e) {
      root = null;
    }
    if (root == null || !root.isObject()) {
      Path quarantined = Quarantine.moveAside(file, clock).orElse(null);
      log.warn("State file {} does not parse as a JSON object; moved it aside to {} and starting with empty "
          + "state. Inspect or delete that file; it is never read again.", file, quarantined);
      return loaded;
    }
    root.fields().forEachRemaining(field -> loaded.put(field.getKey(), field.getValue()));
    return loaded;
  }

  private record Waiter(long version, CompletableFuture<Void> future) {}

  /** Options for {@link WriteBehindStatePersister}. Not thread-safe. */
  public static final class Builder {
    private final Path file;
    private Duration batchDelay = Duration.ofMillis(200);
    private Duration closeTimeout = Duration.ofSeconds(5);
    private Duration retryInitial = Duration.ofMillis(100);
    private Duration retryMax = Duration.ofSeconds(30);
    private Clock clock = Clock.systemUTC();
    private ScheduledExecutorService scheduler;

    private Builder(Path file) {
      this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
    }

    /** How long a write waits in memory so that later writes share its disk write. */
    public Builder batchDelay(Duration v) {
      batchDelay = requirePositive("batch delay", v);
      return this;
    }

    /** How long {@link #close()} waits for the final flush. */
    public Builder closeTimeout(Duration v) {
      closeTimeout = requirePositive("close timeout", v);
      return this;
    }

    /** The first retry delay after a failed disk write, doubled per failure up to {@code max}. */
    public Builder retryBackoff(Duration initial, Duration max) {
      retryInitial = requirePositive("initial retry delay", initial);
      retryMax = requirePositive("maximum retry delay", max);
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("maximum retry delay must be >= the initial one");
      }
      return this;
    }

    /** The clock that stamps quarantined file names. */
    public Builder clock(Clock v) {
      clock = Objects.requireNonNull(v, "clock");
      return this;
    }

    /**
     * Runs flushes on {@code v} instead of an own thread; the caller keeps ownership and shuts
     * it down after {@link #close()}.
     */
    public Builder scheduler(ScheduledExecutorService v) {
      scheduler = Objects.requireNonNull(v, "scheduler");
      return this;
    }

    /**
     * Loads the file (quarantining it when it does not parse) and starts the persister.
     *
     * @throws IOException when the file exists but cannot be read or moved aside
     */
    public WriteBehindStatePersister open() throws IOException {
      Path dir = file.getParent();
      Files.createDirectories(dir);
      int leftovers = AtomicFiles.deleteLeftoverTemporaries(file);
      if (leftovers > 0) {
        log.info("Deleted {} unfinished temporary state file(s) next to {}", leftovers, file);
      }
      return new WriteBehindStatePersister(this, load(file, clock));
    }

    private static Duration requirePositive(String what, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
