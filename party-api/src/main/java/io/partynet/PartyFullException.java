package io.partynet;

/**
 * The party already has its configured maximum number of members. Reason
 * {@link Reason#PARTY_FULL}. Thread-safe: it carries no mutable state of its own, so once thrown it may be handed to any thread.
 */
public class PartyFullException extends PartyException {

  /**
   * @param partyId the invite code of the full party
   */
  public PartyFullException(String partyId) {
    super(Reason.PARTY_FULL, "Party " + partyId
        + " is full. Ask the host to make room, or start a new party.");
  }

  /**
   * @param message what was refused
   * @param cause the underlying error, or null
   */
  public PartyFullException(String message, Throwable cause) {
    super(Reason.PARTY_FULL, message, cause);
  }
}
