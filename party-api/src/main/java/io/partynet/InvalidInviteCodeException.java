package io.partynet;

/**
 * The text given as an invite code is not a well-formed code (see {@link InviteCode}). Reason
 * {@link Reason#INVALID_INVITE_CODE}; reported before any network traffic. Thread-safe: it carries no mutable state of its own, so once thrown it may be handed to any thread.
 */
public class InvalidInviteCodeException extends PartyException {

  /**
   * @param message what is wrong with the code
   */
  public InvalidInviteCodeException(String message) {
    super(Reason.INVALID_INVITE_CODE, message);
  }

  /**
   * @param message what is wrong with the code
   * @param cause the underlying error, or null
   */
  public InvalidInviteCodeException(String message, Throwable cause) {
    super(Reason.INVALID_INVITE_CODE, message, cause);
  }
}
