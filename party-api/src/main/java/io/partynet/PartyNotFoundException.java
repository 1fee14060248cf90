package io.partynet;

/** No party with the given invite code exists (any more). */
public class PartyNotFoundException extends PartyException {

  public PartyNotFoundException(String partyId) {
    super(Reason.PARTY_NOT_FOUND, "No party has invite code " + partyId
        + ". It may have been disbanded: ask the host for a new code.");
  }

  public PartyNotFoundException(String message, Throwable cause) {
    super(Reason.PARTY_NOT_FOUND, message, cause);
  }
}
