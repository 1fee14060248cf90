package io.partynet.spi;

import io.partynet.DisbandReason;
import io.partynet.LeaveReason;
import io.partynet.PartyInfo;
import io.partynet.Peer;

/**
 * Events a control plane pushes about the parties its member is in. Empty defaults; callbacks run
 * on the executor the listener was registered with ({@link ControlPlane#addListener(ControlPlaneListener,
 * java.util.concurrent.Executor)}), in order.
 *
 * <p>Thread-safety: a listener is only called through the executor it was registered with; one
 * that shares state with other threads, or is registered on an executor that runs tasks
 * concurrently, must guard that state itself.
 */
public interface ControlPlaneListener {

  /**
   * A member joined a party.
   *
   * @param partyId the invite code
   * @param peer the new member
   */
  default void onPeerJoined(String partyId, Peer peer) {}

  /**
   * A member left a party.
   *
   * @param partyId the invite code
   * @param peerId the member's id
   * @param reason why it left
   */
  default void onPeerLeft(String partyId, String peerId, LeaveReason reason) {}

  /**
   * A member replaced its entry.
   *
   * @param partyId the invite code
   * @param peer the member's new entry
   */
  default void onPeerUpdated(String partyId, Peer peer) {}

  /**
   * A party ended.
   *
   * @param partyId the invite code
   * @param reason why it ended
   */
  default void onPartyDisbanded(String partyId, DisbandReason reason) {}

  /**
   * A signalling message from another member (endpoint candidates, punch requests, ...).
   *
   * @param signal the message; its sender was checked by the control plane
   */
  default void onSignal(Signal signal) {}

  /**
   * The full state of a party, sent when incremental events may have been missed (after a
   * reconnect whose gap was too old to replay). Replaces whatever the listener knew.
   *
   * @param party the party as the control plane knows it now
   */
  default void onPartySnapshot(PartyInfo party) {}

  /**
   * Reachability of the control plane changed. A plane that reports it tells a listener added
   * while it is connected so, once, before any other event (it may have come up before the
   * listener was added).
   *
   * @param connected whether it can be reached now
   * @param detail why, for the log
   */
  default void onConnectivityChanged(boolean connected, String detail) {}
}
