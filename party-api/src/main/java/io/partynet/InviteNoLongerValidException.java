package io.partynet;

/**
 * The invite code was issued by the host but cannot be used any more: it {@linkplain
 * InviteExpiredException expired}, was {@linkplain InviteRevokedException revoked}, or was
 * {@linkplain InviteUsedUpException used up}. Catch this to tell the player "ask the host for a new
 * code" whatever the cause; {@link #reason()} says which. Thread-safe: it carries no mutable state
 * of its own, so once thrown it may be handed to any thread.
 */
public class InviteNoLongerValidException extends PartyException {

  /**
   * For the three subclasses.
   *
   * @param reason {@link Reason#INVITE_EXPIRED}, {@link Reason#INVITE_REVOKED} or {@link Reason#INVITE_USED_UP}
   * @param message which code and why it no longer admits anyone
   * @param cause the underlying error, or null
   */
  protected InviteNoLongerValidException(Reason reason, String message, Throwable cause) {
    super(reason, message, cause);
  }
}
