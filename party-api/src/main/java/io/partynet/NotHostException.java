package io.partynet;

/** The caller tried something only the party's host may do (kick, disband). */
public class NotHostException extends PartyException {

  public NotHostException(String partyId) {
    super(Reason.NOT_HOST, "Only the host of party " + partyId
        + " can do this.");
  }

  public NotHostException(String message, Throwable cause) {
    super(Reason.NOT_HOST, message, cause);
  }
}
