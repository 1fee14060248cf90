package io.partynet;

/**
 * The invite code's lifetime ran out ("expired"): ask the host for a new code. Reason {@link Reason#INVITE_EXPIRED}. Thread-safe: it carries no mutable state of its own, so
 * once thrown it may be handed to any thread.
 */
public class InviteExpiredException extends InviteNoLongerValidException {

  /**
   * @param message which code and why it no longer admits anyone
   */
  public InviteExpiredException(String message) {
    super(Reason.INVITE_EXPIRED, message, null);
  }

  /**
   * @param message which code and why it no longer admits anyone
   * @param cause the underlying error, or null
   */
  public InviteExpiredException(String message, Throwable cause) {
    super(Reason.INVITE_EXPIRED, message, cause);
  }
}
