package io.partynet;

/**
 * The host revoked the invite code ("revoked"): ask the host for a new code. Reason {@link Reason#INVITE_REVOKED}. Thread-safe: it carries no mutable state of its own, so
 * once thrown it may be handed to any thread.
 */
public class InviteRevokedException extends InviteNoLongerValidException {

  /**
   * @param message which code and why it no longer admits anyone
   */
  public InviteRevokedException(String message) {
    super(Reason.INVITE_REVOKED, message, null);
  }

  /**
   * @param message which code and why it no longer admits anyone
   * @param cause the underlying error, or null
   */
  public InviteRevokedException(String message, Throwable cause) {
    super(Reason.INVITE_REVOKED, message, cause);
  }
}
