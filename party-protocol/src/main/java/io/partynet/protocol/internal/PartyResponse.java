package io.partynet.protocol.internal;

import io.partynet.PartyInfo;
import java.util.Objects;

/**
 * A party together with the sequence number of the last event the server produced for it, so the
 * client can resume its event stream from exactly there. Immutable and thread-safe.
 */
public record PartyResponse(PartyInfo party, long seq) {
  public PartyResponse {
    Objects.requireNonNull(party, "party");
    if (seq < 0) {
      throw new IllegalArgumentException("seq must be >= 0: " + seq);
    }
  }
}
