package io.partynet;

/**
 * The control plane could not be reached or did not answer in time. Reason
 * {@link Reason#CONTROL_PLANE_UNAVAILABLE}; trying again later may succeed. Thread-safe: it carries no mutable state of its own, so once thrown it may be handed to any thread.
 */
public class ControlPlaneUnavailableException extends PartyException {

  /**
   * @param message which control plane failed and what to check
   */
  public ControlPlaneUnavailableException(String message) {
    super(Reason.CONTROL_PLANE_UNAVAILABLE, message);
  }

  /**
   * @param message which control plane failed and what to check
   * @param cause the I/O or protocol error
   */
  public ControlPlaneUnavailableException(String message, Throwable cause) {
    super(Reason.CONTROL_PLANE_UNAVAILABLE, message, cause);
  }
}
