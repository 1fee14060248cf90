package io.partynet;

/**
 * The caller tried something only the party's host may do (kick, disband). Reason
 * {@link Reason#NOT_HOST}. Thread-safe: it carries no mutable state of its own, so once thrown it may be handed to any thread.
 */
public class NotHostException extends PartyException {

  /**
   * @param partyId the party whose host alone may do it
   */
  public NotHostException(String partyId) {
    super(Reason.NOT_HOST, "Only the host of party " + partyId
        + " can do this.");
  }

  /**
   * @param message what was refused
   * @param cause the underlying error, or null
   */
  public NotHostException(String message, Throwable cause) {
    super(Reason.NOT_HOST, message, cause);
  }
}
