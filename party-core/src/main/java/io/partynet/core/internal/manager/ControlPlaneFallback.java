package io.partynet.core.internal.manager;

import io.partynet.ControlPlaneUnavailableException;
import io.partynet.Key;
import io.partynet.PartyException;
import io.partynet.spi.ControlPlane;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The factory's decision about the control plane. A persisted party is resumed on the plane it
 * lives on and never elsewhere: on the configured plane (kept, reconnecting, while it cannot be
 * reached), or on the local plane when it was made there after a fallback. A member without a
 * persisted party uses the configured plane, or the local one when the configured plane cannot be
 * reached at start and the application asked for that ({@code control.fallback-to-local=true});
 * otherwise starting fails with a typed error. The primary is closed when it is given up; a local
 * plane made here is closed with this object.
 *
 * <p>Used once, from the thread that builds the manager.
 */
final class ControlPlaneFallback implements ControlPlaneConnector, AutoCloseable {
  static final String LOCAL = "local";
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneFallback.class);

  private final ControlPlane primary;
  private final Supplier<ControlPlane> localPlanes;
  private final boolean fallbackForNewParties;
  private ControlPlane local;

  /**
   * @param localPlanes makes the local plane; null when there is none on the class path
   * @param fallbackForNewParties whether a member without a persisted party may fall back to it
   */
  ControlPlaneFallback(ControlPlane primary, Supplier<ControlPlane> localPlanes, boolean fallbackForNewParties) {
    this.primary = Objects.requireNonNull(primary, "primary");
    this.localPlanes = localPlanes;
    this.fallbackForNewParties = fallbackForNewParties;
  }

  @Override
  public Connected connect(String peerId, Key publicKey, Duration timeout, Optional<String> persistedPartyPlane) {
    boolean primaryIsLocal = primary.name().equals(LOCAL);
    if (persistedPartyPlane.isPresent()) {
      if (persistedPartyPlane.get().equals(LOCAL) && !primaryIsLocal && localPlanes != null) {
        String detail = "the persisted party lives on the local control plane (made when the " + primary.name()
            + " control plane was unreachable); resuming it there";
        LOG.info(detail);
        return new Connected(switchToLocal(peerId, publicKey, timeout), Optional.of(detail), Optional.empty());
      }
      return ControlPlaneConnector.startOrKeep(primary, peerId, publicKey, timeout, true);
    }
    try {
      ControlPlaneConnector.start(primary, peerId, publicKey, timeout);
      return Connected.started(primary);
    } catch (PartyException e) {
      boolean unreachable = e instanceof ControlPlaneUnavailableException
          || e.reason() == PartyException.Reason.TIMEOUT;
      if (!unreachable || !fallbackForNewParties || localPlanes == null || primaryIsLocal) {
        throw unreachable ? unavailable(e) : e;
      }
      String detail = "the " + primary.name() + " control plane is unreachable (" + e.getMessage()
          + "); continuing with the local control plane because control.fallback-to-local=true";
      LOG.warn(detail);
      return new Connected(switchToLocal(peerId, publicKey, timeout), Optional.of(detail), Optional.empty());
    }
  }

  private ControlPlane switchToLocal(String peerId, Key publicKey, Duration timeout) {
    primary.close();
    local = localPlanes.get();
    ControlPlaneConnector.start(local, peerId, publicKey, timeout);
    return local;
  }

  /** A hung server times out: the application hears the same typed error as for a dead one. */
  private PartyException unavailable(PartyException e) {
    if (e instanceof ControlPlaneUnavailableException) {
      return e;
    }
    return new ControlPlaneUnavailableException("The " + primary.name() + " control plane did not answer ("
        + e.getMessage() + "). Check control.server-url and your connection, or set control.fallback-to-local=true "
        + "to make local parties while it is down.", e);
  }

  @Override
  public void close() {
    if (local != null) {
      local.close();
    }
  }
}
