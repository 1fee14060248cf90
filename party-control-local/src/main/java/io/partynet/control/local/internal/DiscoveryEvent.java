package io.partynet.control.local.internal;

import io.partynet.Peer;
import io.partynet.spi.Signal;
import java.time.Instant;
import java.util.Objects;

/**
 * One change recorded in the discovery file, so that other processes learn not only the new state
 * but what happened and why (left, kicked, stale), in order.
 *
 * @param seq position in the file's event log, increasing by one
 * @param partyId the party concerned
 * @param type {@code peer-joined}, {@code peer-left}, {@code peer-updated}, {@code party-disbanded} or {@code signal}
 * @param peer the member concerned (joined, left, updated); null otherwise
 * @param reason why (left, kicked, stale, host-left, disbanded, empty, host-stale); null when not applicable
 * @param signal the signalling message for {@code signal}; null otherwise
 * @param at when the change was made
 */
record DiscoveryEvent(long seq, String partyId, String type, Peer peer, String reason, Signal signal, Instant at) {
  static final String PEER_JOINED = "peer-joined";
  static final String PEER_LEFT = "peer-left";
  static final String PEER_UPDATED = "peer-updated";
  static final String PARTY_DISBANDED = "party-disbanded";
  static final String SIGNAL = "signal";

  DiscoveryEvent {
    Objects.requireNonNull(partyId, "partyId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
  }
}
