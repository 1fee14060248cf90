package io.partynet.core.internal.registry;

import java.util.List;

/** What one {@link PartyRegistry#cleanup()} removed: member ids and party ids. Immutable. */
public record CleanupReport(List<String> removedPeers, List<String> disbandedParties) {
  public CleanupReport {
    removedPeers = List.copyOf(removedPeers);
    disbandedParties = List.copyOf(disbandedParties);
  }

  public boolean isEmpty() {
    return removedPeers.isEmpty() && disbandedParties.isEmpty();
  }
}
