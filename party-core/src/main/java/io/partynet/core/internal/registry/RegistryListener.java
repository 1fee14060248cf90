package io.partynet.core.internal.registry;

import io.partynet.DisbandReason;
import io.partynet.LeaveReason;
import io.partynet.Peer;

/**
 * Changes in a {@link PartyRegistry}. Called synchronously under the registry's lock, in order,
 * right after each change: implementations must be fast and must not call back into the registry
 * from another thread while blocking on it.
 */
public interface RegistryListener {

  default void onPeerJoined(String partyId, Peer peer) {}

  default void onPeerLeft(String partyId, Peer peer, LeaveReason reason) {}

  default void onPeerUpdated(String partyId, Peer peer) {}

  default void onPartyDisbanded(String partyId, DisbandReason reason) {}

  /** The host issued or revoked an invite code, or a code admitted a member. */
  default void onInvitesChanged(String partyId) {}
}
