package io.partynet;

/** The configured network backend cannot run here (missing module, binary or privilege). */
public class BackendUnavailableException extends PartyException {

  public BackendUnavailableException(String message) {
    super(Reason.BACKEND_UNAVAILABLE, message);
  }

  public BackendUnavailableException(String message, Throwable cause) {
    super(Reason.BACKEND_UNAVAILABLE, message, cause);
  }
}
