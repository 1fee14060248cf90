package io.partynet.core.internal.manager;

import io.partynet.PartyListener;
import io.partynet.core.internal.concurrent.Shutdown;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers {@link PartyListener} callbacks on one event thread, one at a time, in the order they
 * were emitted. A listener that throws is logged and skipped; the others still hear the event.
 *
 * <p>Thread-safe: any thread may emit or change listeners.
 */
final class EventDispatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

  private final List<PartyListener> listeners = new CopyOnWriteArrayList<>();
  private final ExecutorService thread;
  private volatile Thread eventThread;

  EventDispatcher(String threadName, List<PartyListener> initial) {
    listeners.addAll(initial);
    thread = Executors.newSingleThreadExecutor(runnable -> {
      Thread t = new Thread(runnable, threadName);
      eventThread = t;
      t.setDaemon(true);
      return t;
    });
  }

  void add(PartyListener listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  void remove(PartyListener listener) {
    listeners.remove(listener);
  }

  /** Queues {@code event} for every listener registered when it runs. */
  void emit(String name, Consumer<PartyListener> event) {
    try {
      thread.execute(() -> {
        for (PartyListener listener : listeners) {
          try {
            event.accept(listener);
          } catch (RuntimeException e) {
            LOG.warn("PartyListener {} threw from {}; ignored", listener.getClass().getName(), name, e);
          }
        }
      });
    } catch (RejectedExecutionException e) {
      LOG.debug("event {} dropped: the manager is closed", name);
    }
  }

  /** Delivers what is queued (bounded by {@code timeout}), then stops the event thread. */
  void close(Duration timeout) {
    thread.shutdown();
    if (Thread.currentThread() == eventThread) {
      return; // closed from a listener: the queue drains after this callback returns
    }
    if (!Shutdown.drain(thread, timeout) && !Thread.currentThread().isInterrupted()) {
      LOG.warn("listeners did not finish within {} ms; stopped the event thread", timeout.toMillis());
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
