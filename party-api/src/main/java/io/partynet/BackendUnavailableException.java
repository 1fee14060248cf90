package io.partynet;

/**
 * The configured network backend cannot run here (missing module, binary or privilege), or no
 * implementation of the SDK is on the class path. Reason {@link Reason#BACKEND_UNAVAILABLE}. Thread-safe: it carries no mutable state of its own, so once thrown it may be handed to any thread.
 */
public class BackendUnavailableException extends PartyException {

  /**
   * @param message what is missing and what to do about it
   */
  public BackendUnavailableException(String message) {
    super(Reason.BACKEND_UNAVAILABLE, message);
  }

  /**
   * @param message what is missing and what to do about it
   * @param cause the platform's error
   */
  public BackendUnavailableException(String message, Throwable cause) {
    super(Reason.BACKEND_UNAVAILABLE, message, cause);
  }
}
