package io.partynet;

/**
 * The invite code admitted as many members as the host allowed ("used up"): ask the host for a
 * new code. Reason {@link Reason#INVITE_USED_UP}. Thread-safe: it carries no mutable state of its own, so
 * once thrown it may be handed to any thread.
 */
public class InviteUsedUpException extends InviteNoLongerValidException {

  /**
   * @param message which code and why it no longer admits anyone
   */
  public InviteUsedUpException(String message) {
    super(Reason.INVITE_USED_UP, message, null);
  }

  /**
   * @param message which code and why it no longer admits anyone
   * @param cause the underlying error, or null
   */
  public InviteUsedUpException(String message, Throwable cause) {
    super(Reason.INVITE_USED_UP, message, cause);
  }
}
