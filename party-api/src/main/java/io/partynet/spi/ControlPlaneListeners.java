package io.partynet.spi;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one {@link ControlPlane}, each with the executor it was registered with: what
 * an implementation needs to honour {@link ControlPlane#addListener(ControlPlaneListener, Executor)}
 * without a thread of its own. {@link #emit} hands each event to every listener's executor; calls to
 * it are serialised, so events keep their order across the threads that report them.
 *
 * <p>Thread-safe.
 */
public final class ControlPlaneListeners {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneListeners.class);

  private record Registration(ControlPlaneListener listener, Executor executor) {}

  private final List<Registration> registrations = new CopyOnWriteArrayList<>();

  /**
   * Registers {@code listener}; {@link #emit} hands it each later event through {@code executor}.
   * Registering the same listener twice makes it hear every event twice.
   *
   * @param listener the listener to call
   * @param executor where the listener's callbacks run
   * @throws NullPointerException when {@code listener} or {@code executor} is null
   */
  public void add(ControlPlaneListener listener, Executor executor) {
    registrations.add(new Registration(Objects.requireNonNull(listener, "listener"),
        Objects.requireNonNull(executor, "executor")));
  }

  /**
   * Registers {@code listener} and hands it {@code current} before any later event: how a plane
   * tells a listener that arrives late the state it missed (that its event stream is already up).
   * Atomic with {@link #emit}: no event falls between the two, and none is heard twice, as long as
   * the plane changes that state and emits it under the same lock it holds around this call.
   *
   * @param listener the listener to call
   * @param executor where the listener's callbacks run
   * @param current the callback that brings the listener up to date, such as
   *     {@code l -> l.onConnectivityChanged(true, detail)}
   * @throws NullPointerException when an argument is null
   */
  public synchronized void add(ControlPlaneListener listener, Executor executor, Consumer<ControlPlaneListener> current) {
    Objects.requireNonNull(current, "current");
    add(listener, executor);
    hand(new Registration(listener, executor), current);
  }

  /**
   * Removes every registration of {@code listener}; unknown listeners are ignored.
   *
   * @param listener the listener to remove, compared by identity
   */
  public void remove(ControlPlaneListener listener) {
    registrations.removeIf(r -> r.listener() == listener);
  }

  /**
   * Hands {@code event} to every registered listener's executor, in registration order. A listener
   * that throws is logged and the others still hear the event; an executor that refuses (it was
   * shut down) drops the event for its listener only.
   *
   * @param event the callback to make on each listener, such as {@code l -> l.onSignal(signal)}
   */
  public synchronized void emit(Consumer<ControlPlaneListener> event) {
    for (Registration r : registrations) {
      hand(r, event);
    }
  }

  private static void hand(Registration r, Consumer<ControlPlaneListener> event) {
    try {
      r.executor().execute(() -> {
        try {
          event.accept(r.listener());
        } catch (RuntimeException e) {
          LOG.warn("control plane listener {} failed; continuing", r.listener().getClass().getName(), e);
        }
      });
    } catch (RejectedExecutionException e) {
      LOG.debug("control plane event dropped for {}: its executor is shut down", r.listener().getClass().getName());
    }
  }
}
