package io.partynet.core.internal.manager;

import io.partynet.Key;
import io.partynet.spi.ControlPlane;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a manager obtains its started control plane. The manager does not decide which plane that
 * is: {@link #only} uses the one it was given, and the factory's {@link ControlPlaneFallback} may
 * switch to the local plane.
 */
interface ControlPlaneConnector {

  /**
   * The plane in use, started as {@code peerId}; {@code fallbackDetail} explains a switch to
   * another plane than the configured one (the listeners are told).
   */
  record Connected(ControlPlane plane, Optional<String> fallbackDetail) {
    public Connected {
      Objects.requireNonNull(plane, "plane");
      Objects.requireNonNull(fallbackDetail, "fallbackDetail");
    }
  }

  /**
   * Starts a control plane as the member {@code peerId} with {@code publicKey}, waiting at most
   * {@code timeout} for each plane it tries.
   *
   * @throws io.partynet.PartyException when no plane can be used
   */
  Connected connect(String peerId, Key publicKey, Duration timeout);

  /** Uses {@code plane} and nothing else. */
  static ControlPlaneConnector only(ControlPlane plane) {
    Objects.requireNonNull(plane, "plane");
    return (peerId, publicKey, timeout) -> {
      Futures.await(plane.start(peerId, publicKey), timeout, "connecting to the " + plane.name() + " control plane");
      return new Connected(plane, Optional.empty());
    };
  }
}
