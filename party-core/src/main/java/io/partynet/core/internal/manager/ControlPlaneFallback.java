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
 * The factory's decision about the control plane: the configured one, or, when it cannot be
 * reached at start and {@code control.fallback-to-local} allows it, the local one. The primary
 * is closed when it is given up; a local plane made here is closed with this object.
 *
 * <p>Used once, from the thread that builds the manager.
 */
final class ControlPlaneFallback implements ControlPlaneConnector, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneFallback.class);

  private final ControlPlane primary;
  private final Supplier<ControlPlane> localPlanes;
  private ControlPlane local;

  /**
   * @param localPlanes makes the local plane; null when there is none to fall back to, or
   *     falling back is switched off
   */
  ControlPlaneFallback(ControlPlane primary, Supplier<ControlPlane> localPlanes) {
    this.primary = Objects.requireNonNull(primary, "primary");
    this.localPlanes = localPlanes;
  }

  @Override
  public Connected connect(String peerId, Key publicKey, Duration timeout) {
    try {
      return ControlPlaneConnector.only(primary).connect(peerId, publicKey, timeout);
    } catch (PartyException e) {
      boolean unreachable = e instanceof ControlPlaneUnavailableException
          || e.reason() == PartyException.Reason.TIMEOUT;
      if (!unreachable || localPlanes == null || primary.name().equals("local")) {
        throw e;
      }
      String detail = "the " + primary.name() + " control plane is unreachable (" + e.getMessage()
          + "); continuing with the local control plane (set control.fallback-to-local=false to fail instead)";
      LOG.warn(detail);
      primary.close();
      local = localPlanes.get();
      ControlPlaneConnector.only(local).connect(peerId, publicKey, timeout);
      return new Connected(local, Optional.of(detail));
    }
  }

  @Override
  public void close() {
    if (local != null) {
      local.close();
    }
  }
}
