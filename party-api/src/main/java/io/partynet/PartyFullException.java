package io.partynet;

/** The party already has its configured maximum number of members. */
public class PartyFullException extends PartyException {

  public PartyFullException(String partyId) {
    super(Reason.PARTY_FULL, "Party " + partyId
        + " is full. Ask the host to make room, or start a new party.");
  }

  public PartyFullException(String message, Throwable cause) {
    super(Reason.PARTY_FULL, message, cause);
  }
}
