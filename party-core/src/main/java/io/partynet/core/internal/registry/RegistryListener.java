package io.partynet.core.internal.registry;

import io.partynet.Peer;

/**
 * Changes in a {@link PartyRegistry}. Called synchronously under the registry's lock, in order,
 * right after each change: implementations must be fast and must not call back into the registry
 * from another thread while blocking on it.
 */
public interface RegistryListener {

  default void onPeerJoined(String partyId, Peer peer) {}

  /** {@code reason} is {@code "left"}, {@code "kicked"} or {@code "stale"}. */
  default void onPeerLeft(String partyId, Peer peer, String reason) {}

  default void onPeerUpdated(String partyId, Peer peer) {}

  /** {@code reason} is {@code "host-left"}, {@code "disbanded"}, {@code "empty"} or {@code "host-stale"}. */
  default void onPartyDisbanded(String partyId, String reason) {}
}
