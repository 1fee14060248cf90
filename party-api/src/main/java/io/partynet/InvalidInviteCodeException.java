package io.partynet;

/** The text given as an invite code is not a well-formed code. */
public class InvalidInviteCodeException extends PartyException {

  public InvalidInviteCodeException(String message) {
    super(Reason.INVALID_INVITE_CODE, message);
  }

  public InvalidInviteCodeException(String message, Throwable cause) {
    super(Reason.INVALID_INVITE_CODE, message, cause);
  }
}
