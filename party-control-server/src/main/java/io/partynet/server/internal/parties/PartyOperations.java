package io.partynet.server.internal.parties;

import io.partynet.Invite;
import io.partynet.InviteOptions;
import io.partynet.Peer;
import io.partynet.protocol.internal.IdempotencyKey;
import io.partynet.protocol.internal.PartyResponse;
import io.partynet.spi.Signal;
import java.util.List;

/**
 * The party changes and reads behind the routes, after a request was parsed and its caller
 * authenticated (the caller's own identity is checked by the routes; rights within the party,
 * size limits, kicks and join keys here). Two implementations: {@link LocalParties}, one
 * instance's registry written through to its store, and {@code SharedParties}, transactions on a
 * PostgreSQL database that any number of instances share. An acknowledged change is stored when a
 * method returns. Implementations are thread-safe.
 */
public interface PartyOperations {
  PartyResponse create(String name, Peer host);

  /** The party {@code code} names: the party id itself or the party of one of its invite codes. */
  String resolve(String code);

  /** Joins {@code partyId} through {@code code} (its id or one of its invite codes, see {@link #resolve}). */
  PartyResponse join(String partyId, String code, Peer peer, IdempotencyKey key);

  /** True when the leave disbanded the party. */
  boolean leave(String partyId, String peerId);

  void kick(String partyId, String hostId, String target);

  void disband(String partyId, String hostId);

  Invite createInvite(String partyId, String hostId, InviteOptions options);

  void revokeInvite(String partyId, String hostId, String code);

  void heartbeat(String partyId, String peerId);

  Peer update(String partyId, Peer peer);

  /** Sends {@code signal} (its party id normalised) from a member to a member. */
  void signal(Signal signal);

  /** The party and its sequence number for a member (PARTY_NOT_FOUND, NOT_IN_PARTY otherwise). */
  PartyResponse view(String partyId, String peerId);

  /** PARTY_NOT_FOUND or NOT_IN_PARTY unless {@code peerId} is a member of {@code partyId}. */
  void requireMembership(String partyId, String peerId);

  /** The parties {@code peerId} is in. */
  List<String> partiesOf(String peerId);
}
