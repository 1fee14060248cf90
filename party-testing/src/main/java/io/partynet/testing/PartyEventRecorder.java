package io.partynet.testing;

import io.partynet.LeaveReason;
import io.partynet.ControlPlaneState;
import io.partynet.DisbandReason;
import io.partynet.Party;
import io.partynet.PartyListener;
import io.partynet.Peer;

/**
 * Records every {@link PartyListener} callback as a short line: {@code "partyJoined ID"},
 * {@code "peerJoined NAME"}, {@code "peerLeft NAME REASON"}, {@code "peerUpdated NAME"},
 * {@code "partyDisbanded ID REASON"}, {@code "partyLeft ID"}, {@code "controlPlaneChanged NAME"},
 * {@code "controlPlaneState STATE"}.
 * Thread-safe.
 */
public final class PartyEventRecorder extends EventLog implements PartyListener {

  @Override
  public void onPartyJoined(Party party) {
    record("partyJoined " + party.id());
  }

  @Override
  public void onPeerJoined(Party party, Peer peer) {
    record("peerJoined " + peer.name());
  }

  @Override
  public void onPeerLeft(Party party, Peer peer, LeaveReason reason) {
    record("peerLeft " + peer.name() + " " + reason);
  }

  @Override
  public void onPeerUpdated(Party party, Peer peer) {
    record("peerUpdated " + peer.name());
  }

  @Override
  public void onPartyDisbanded(String partyId, DisbandReason reason) {
    record("partyDisbanded " + partyId + " " + reason);
  }

  @Override
  public void onPartyLeft(String partyId) {
    record("partyLeft " + partyId);
  }

  @Override
  public void onControlPlaneChanged(String controlPlane, String detail) {
    record("controlPlaneChanged " + controlPlane);
  }

  @Override
  public void onControlPlaneState(ControlPlaneState state, String detail) {
    record("controlPlaneState " + state);
  }
}
