package io.partynet.core.internal.manager;

import io.partynet.ControlPlaneState;
import io.partynet.ControlPlaneUnavailableException;
import io.partynet.Key;
import io.partynet.PartyException;
import io.partynet.spi.ControlPlane;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's link to its control plane: whether the plane was started (a member whose plane
 * was unreachable at start keeps its persisted party and starts the plane later), and the
 * {@link ControlPlaneState} the listeners see. Membership calls {@link #ensureStarted} before
 * talking to the plane and reports what its calls found; the plane's own connectivity events
 * arrive through {@link #reachable}.
 *
 * <p>Thread-safe: changed on the worker thread, read from any.
 */
final class ControlPlaneSession {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneSession.class);

  private final ControlPlane plane;
  private final String peerId;
  private final Key publicKey;
  private final Duration timeout;
  private final EventDispatcher events;
  private volatile boolean started;
  private volatile ControlPlaneState state;

  /** @param unreachable present when {@code plane} could not be started yet: the session starts RECONNECTING */
  ControlPlaneSession(ControlPlane plane, Optional<PartyException> unreachable, String peerId, Key publicKey,
      Duration timeout, EventDispatcher events) {
    this.plane = plane;
    this.peerId = peerId;
    this.publicKey = publicKey;
    this.timeout = timeout;
    this.events = events;
    this.started = unreachable.isEmpty();
    this.state = ControlPlaneState.CONNECTED;
    unreachable.ifPresent(e -> {
      LOG.warn("the {} control plane cannot be reached ({}); keeping the persisted party and reconnecting",
          plane.name(), e.getMessage());
      change(ControlPlaneState.RECONNECTING, e.getMessage());
    });
  }

  ControlPlane plane() {
    return plane;
  }

  ControlPlaneState state() {
    return state;
  }

  /**
   * Starts the plane if it was not started yet.
   *
   * @throws ControlPlaneUnavailableException when it still cannot be started (the state stays RECONNECTING)
   */
  void ensureStarted() {
    if (started) {
      return;
    }
    try {
      ControlPlaneConnector.start(plane, peerId, publicKey, timeout);
    } catch (PartyException e) {
      change(ControlPlaneState.RECONNECTING, e.getMessage());
      throw e instanceof ControlPlaneUnavailableException ? e : new ControlPlaneUnavailableException("The "
          + plane.name() + " control plane cannot be used yet (" + e.getMessage() + "); the manager keeps "
          + "retrying. Check the server URL and your connection.", e);
    }
    started = true;
    LOG.info("connected to the {} control plane", plane.name());
    change(ControlPlaneState.CONNECTED, "connected to the " + plane.name() + " control plane");
  }

  /** A call to the plane answered ({@code true}) or found it unreachable. */
  void reachable(boolean answered, String detail) {
    if (started) {
      change(answered ? ControlPlaneState.CONNECTED : ControlPlaneState.RECONNECTING, detail);
    }
  }

  private void change(ControlPlaneState now, String detail) {
    if (state == now) {
      return;
    }
    state = now;
    events.emit("onControlPlaneState", l -> l.onControlPlaneState(now, detail));
  }
}
