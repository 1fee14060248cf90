package io.partynet.core.internal.registry;

import io.partynet.Invite;
import io.partynet.Party;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One party with each member's last-seen time and its invite codes (absent in documents written
 * before invites existed: none). Immutable.
 */
public record PartyEntry(Party party, Map<String, Instant> lastSeen, List<Invite> invites) {
  public PartyEntry {
    Objects.requireNonNull(party, "party");
    lastSeen = Map.copyOf(lastSeen);
    invites = invites == null ? List.of() : List.copyOf(invites);
  }

  public PartyEntry(Party party, Map<String, Instant> lastSeen) {
    this(party, lastSeen, List.of());
  }
}
