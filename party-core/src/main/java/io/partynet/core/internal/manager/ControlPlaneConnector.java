package io.partynet.core.internal.manager;

import io.partynet.Key;
import io.partynet.PartyException;
import io.partynet.spi.ControlPlane;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a manager obtains its control plane. The manager does not decide which plane that is:
 * {@link #only} uses the one it was given, and the factory's {@link ControlPlaneFallback} may
 * switch to the local plane for a member without a persisted party, or use the local plane a
 * persisted party lives on.
 */
interface ControlPlaneConnector {

  /**
   * The plane in use. {@code fallbackDetail} explains a switch to another plane than the
   * configured one (the listeners are told); {@code unreachable} is present when the plane could
   * not be started yet and the manager goes on reconnecting (only ever for a persisted party).
   */
  record Connected(ControlPlane plane, Optional<String> fallbackDetail, Optional<PartyException> unreachable) {
    public Connected {
      Objects.requireNonNull(plane, "plane");
      Objects.requireNonNull(fallbackDetail, "fallbackDetail");
      Objects.requireNonNull(unreachable, "unreachable");
    }

    static Connected started(ControlPlane plane) {
      return new Connected(plane, Optional.empty(), Optional.empty());
    }
  }

  /**
   * Starts a control plane as the member {@code peerId} with {@code publicKey}, waiting at most
   * {@code timeout} for each plane it tries.
   *
   * @param persistedPartyPlane the name of the plane the persisted party lives on, when there is one
   *     ({@code ""} for a party persisted before planes were recorded: the configured plane)
   * @throws io.partynet.PartyException when no plane can be used and there is no persisted party to keep
   */
  Connected connect(String peerId, Key publicKey, Duration timeout, Optional<String> persistedPartyPlane);

  /** Uses {@code plane} and nothing else. */
  static ControlPlaneConnector only(ControlPlane plane) {
    Objects.requireNonNull(plane, "plane");
    return (peerId, publicKey, timeout, persisted) -> startOrKeep(plane, peerId, publicKey, timeout, persisted.isPresent());
  }

  /**
   * Starts {@code plane}. When it fails and a persisted party must be kept, the plane is returned
   * unstarted (the manager reconnects); otherwise the failure is thrown.
   */
  static Connected startOrKeep(ControlPlane plane, String peerId, Key publicKey, Duration timeout, boolean keepParty) {
    try {
      start(plane, peerId, publicKey, timeout);
      return Connected.started(plane);
    } catch (PartyException e) {
      if (!keepParty) {
        throw e;
      }
      return new Connected(plane, Optional.empty(), Optional.of(e));
    }
  }

  static void start(ControlPlane plane, String peerId, Key publicKey, Duration timeout) {
    Futures.await(plane.start(peerId, publicKey), timeout, "connecting to the " + plane.name() + " control plane");
  }
}
