package io.partynet;

/**
 * Receives what happens to the current party. Every method has an empty default, so implement
 * only what you need. Callbacks run on the manager's single event thread, one at a time and in
 * order; do not block in them. An exception thrown by a listener is logged and does not affect
 * the manager or other listeners.
 *
 * <p>Thread-safety: the manager calls a listener from its event thread only, so a listener needs
 * no locking for its own state; to touch a UI, hand over to the UI thread
 * ({@code SwingUtilities.invokeLater}, {@code Platform.runLater}).
 */
public interface PartyListener {

  /** A no-op listener. */
  PartyListener NONE = new PartyListener() {};

  /**
   * The local member created or joined a party.
   *
   * @param party the party
   */
  default void onPartyJoined(Party party) {}

  /**
   * Another member joined.
   *
   * @param party the party with the new member
   * @param peer the new member
   */
  default void onPeerJoined(Party party, Peer peer) {}

  /**
   * A member left, was kicked, or was removed after it stopped sending heartbeats. When the member
   * is the local one ({@code peer.id()} is {@link PartyManager#myPeerId()}), it is out of the party.
   *
   * @param party the party without the member
   * @param peer the member as it was
   * @param reason why it left
   */
  default void onPeerLeft(Party party, Peer peer, LeaveReason reason) {}

  /**
   * A member's endpoint, NAT type, connection type or latency changed.
   *
   * @param party the party with the updated member
   * @param peer the member as it is now
   */
  default void onPeerUpdated(Party party, Peer peer) {}

  /**
   * The link quality to a member changed meaningfully: its path (direct, relayed, none) changed,
   * or its round-trip time, jitter or loss moved past a threshold (setting
   * {@code link.event-thresholds}; see docs/launcher-guide.md). Rate-limited per member (setting
   * {@code link.event-interval}, except for path changes), so a UI can redraw the member's ping
   * bar on every call. The current figures of every member are in
   * {@link PeerStatus#linkQuality()} too.
   *
   * @param party the party
   * @param peer the member as it is now (its latency and connection type match {@code quality})
   * @param quality the new figures
   */
  default void onLinkQuality(Party party, Peer peer, LinkQuality quality) {}

  /**
   * The party no longer exists (the host left or disbanded it, or its last member left).
   *
   * @param partyId the invite code
   * @param reason why it ended ({@link DisbandReason#GONE} when a resumed party was not found)
   */
  default void onPartyDisbanded(String partyId, DisbandReason reason) {}

  /**
   * The local member is no longer in the party (it left, or was removed).
   *
   * @param partyId the invite code
   */
  default void onPartyLeft(String partyId) {}

  /**
   * The configured control plane could not be used and the manager continues on another
   * ({@code "remote"} -> {@code "local"}), or connectivity to the control plane changed.
   *
   * @param controlPlane the control plane in use now
   * @param detail what happened, for the log
   */
  default void onControlPlaneChanged(String controlPlane, String detail) {}

  /**
   * The member lost or regained its control plane: {@link ControlPlaneState#RECONNECTING} when the
   * control plane of its party cannot be reached (at start, or later), {@link ControlPlaneState#CONNECTED}
   * when it answers again. Called on changes only; a manager that connects at once is
   * {@code CONNECTED} without a call. While reconnecting the party and its tunnels stay up.
   *
   * @param state the state now, as {@link PartyManager#controlPlaneState()} returns it
   * @param detail what happened, for the log (the error while reconnecting)
   */
  default void onControlPlaneState(ControlPlaneState state, String detail) {}
}
