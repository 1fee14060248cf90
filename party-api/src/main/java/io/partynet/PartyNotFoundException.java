package io.partynet;

/**
 * No party with the given invite code exists (any more). Reason {@link Reason#PARTY_NOT_FOUND}. Thread-safe: it carries no mutable state of its own, so once thrown it may be handed to any thread.
 */
public class PartyNotFoundException extends PartyException {

  /**
   * @param partyId the invite code that matched no party
   */
  public PartyNotFoundException(String partyId) {
    super(Reason.PARTY_NOT_FOUND, "No party has invite code " + partyId
        + ". It may have been disbanded: ask the host for a new code.");
  }

  /**
   * @param message what was looked for
   * @param cause the underlying error, or null
   */
  public PartyNotFoundException(String message, Throwable cause) {
    super(Reason.PARTY_NOT_FOUND, message, cause);
  }
}
