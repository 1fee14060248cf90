package io.partynet.protocol.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.spi.Signal;
import java.util.Objects;

/**
 * One message from the server on the event WebSocket. {@code type} is one of the
 * {@code Protocol.EVENT_*} values and decides which other fields are present:
 * <ul>
 *   <li>{@code peer-joined}, {@code peer-updated}: partyId, seq, peer</li>
 *   <li>{@code peer-left}: partyId, seq, peerId, reason ({@code left}, {@code kicked}, {@code stale})</li>
 *   <li>{@code signal}: partyId, seq, signal</li>
 *   <li>{@code party-disbanded}: partyId, seq, reason</li>
 *   <li>{@code snapshot}: partyId, seq, party (replaces everything the client knew)</li>
 *   <li>{@code ready}: the resume request was handled; live events follow</li>
 *   <li>{@code going-away}: reason; the server is shutting down, reconnect later</li>
 * </ul>
 * {@code seq} increases by at least one per event of a party. Immutable and thread-safe.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventMessage(String type, String partyId, Long seq, Peer peer, String peerId, String reason,
    Signal signal, PartyInfo party) {

  public EventMessage {
    Objects.requireNonNull(type, "type");
  }

  public static EventMessage peerJoined(String partyId, long seq, Peer peer) {
    return new EventMessage(Protocol.EVENT_PEER_JOINED, partyId, seq, peer, null, null, null, null);
  }

  public static EventMessage peerUpdated(String partyId, long seq, Peer peer) {
    return new EventMessage(Protocol.EVENT_PEER_UPDATED, partyId, seq, peer, null, null, null, null);
  }

  public static EventMessage peerLeft(String partyId, long seq, String peerId, String reason) {
    return new EventMessage(Protocol.EVENT_PEER_LEFT, partyId, seq, null, peerId, reason, null, null);
  }

  public static EventMessage signal(long seq, Signal signal) {
    return new EventMessage(Protocol.EVENT_SIGNAL, signal.partyId(), seq, null, null, null, signal, null);
  }

  public static EventMessage partyDisbanded(String partyId, long seq, String reason) {
    return new EventMessage(Protocol.EVENT_PARTY_DISBANDED, partyId, seq, null, null, reason, null, null);
  }

  public static EventMessage snapshot(long seq, PartyInfo party) {
    return new EventMessage(Protocol.EVENT_SNAPSHOT, party.partyId(), seq, null, null, null, null, party);
  }

  public static EventMessage ready() {
    return new EventMessage(Protocol.EVENT_READY, null, null, null, null, null, null, null);
  }

  public static EventMessage goingAway(String reason) {
    return new EventMessage(Protocol.EVENT_GOING_AWAY, null, null, null, null, reason, null, null);
  }
}
