package io.partynet;

/**
 * Receives what happens to the current party. Every method has an empty default, so implement
 * only what you need. Callbacks run on the manager's single event thread, one at a time and in
 * order; do not block in them. An exception thrown by a listener is logged and does not affect
 * the manager or other listeners.
 */
public interface PartyListener {

  /** A no-op listener. */
  PartyListener NONE = new PartyListener() {};

  /** The local member created or joined {@code party}. */
  default void onPartyJoined(Party party) {}

  /** Another member joined. */
  default void onPeerJoined(Party party, Peer peer) {}

  /** A member left, was kicked, or was removed after it stopped sending heartbeats. */
  default void onPeerLeft(Party party, Peer peer, LeaveReason reason) {}

  /** A member's endpoint, NAT type, connection type or latency changed. */
  default void onPeerUpdated(Party party, Peer peer) {}

  /** The party no longer exists (the host left or disbanded it, or its last member left). */
  default void onPartyDisbanded(String partyId, DisbandReason reason) {}

  /** The local member left the party. */
  default void onPartyLeft(String partyId) {}

  /**
   * The configured control plane could not be used and the manager continues on another
   * ({@code "remote"} -> {@code "local"}), or connectivity to the control plane changed.
   */
  default void onControlPlaneChanged(String controlPlane, String detail) {}
}
