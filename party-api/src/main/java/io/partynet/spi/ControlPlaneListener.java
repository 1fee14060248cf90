package io.partynet.spi;

import io.partynet.DisbandReason;
import io.partynet.LeaveReason;
import io.partynet.PartyInfo;
import io.partynet.Peer;

/**
 * Events a control plane pushes about the parties its member is in. Empty defaults; callbacks run
 * on the executor the listener was registered with ({@link ControlPlane#addListener(ControlPlaneListener,
 * java.util.concurrent.Executor)}), in order.
 */
public interface ControlPlaneListener {

  default void onPeerJoined(String partyId, Peer peer) {}

  default void onPeerLeft(String partyId, String peerId, LeaveReason reason) {}

  default void onPeerUpdated(String partyId, Peer peer) {}

  default void onPartyDisbanded(String partyId, DisbandReason reason) {}

  /** A signalling message from another member (endpoint candidates, punch requests, ...). */
  default void onSignal(Signal signal) {}

  /**
   * The full state of a party, sent when incremental events may have been missed (after a
   * reconnect whose gap was too old to replay). Replaces whatever the listener knew.
   */
  default void onPartySnapshot(PartyInfo party) {}

  /** Reachability of the control plane changed; {@code detail} says why. */
  default void onConnectivityChanged(boolean connected, String detail) {}
}
