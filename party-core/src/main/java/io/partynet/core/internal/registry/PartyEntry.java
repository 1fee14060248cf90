package io.partynet.core.internal.registry;

import io.partynet.Party;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/** One party with each member's last-seen time. Immutable. */
public record PartyEntry(Party party, Map<String, Instant> lastSeen) {
  public PartyEntry {
    Objects.requireNonNull(party, "party");
    lastSeen = Map.copyOf(lastSeen);
  }
}
