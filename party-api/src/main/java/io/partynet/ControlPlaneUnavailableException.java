package io.partynet;

/** The control plane could not be reached or did not answer in time. */
public class ControlPlaneUnavailableException extends PartyException {

  public ControlPlaneUnavailableException(String message) {
    super(Reason.CONTROL_PLANE_UNAVAILABLE, message);
  }

  public ControlPlaneUnavailableException(String message, Throwable cause) {
    super(Reason.CONTROL_PLANE_UNAVAILABLE, message, cause);
  }
}
