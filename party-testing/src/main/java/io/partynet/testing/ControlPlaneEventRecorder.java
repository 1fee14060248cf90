package io.partynet.testing;

import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.spi.ControlPlaneListener;
import io.partynet.spi.Signal;

/**
 * Records every {@link ControlPlaneListener} callback as a short line: {@code "peerJoined PEER"},
 * {@code "peerLeft PEER REASON"}, {@code "peerUpdated PEER"}, {@code "partyDisbanded REASON"},
 * {@code "signal TYPE FROM"}, {@code "snapshot PEER,PEER,..."}, {@code "connected"} /
 * {@code "disconnected"} (peer ids, and no party id: a recorder listens to one party). Thread-safe.
 */
public final class ControlPlaneEventRecorder extends EventLog implements ControlPlaneListener {

  @Override
  public void onPeerJoined(String partyId, Peer peer) {
    record("peerJoined " + peer.id());
  }

  @Override
  public void onPeerLeft(String partyId, String peerId, String reason) {
    record("peerLeft " + peerId + " " + reason);
  }

  @Override
  public void onPeerUpdated(String partyId, Peer peer) {
    record("peerUpdated " + peer.id());
  }

  @Override
  public void onPartyDisbanded(String partyId, String reason) {
    record("partyDisbanded " + reason);
  }

  @Override
  public void onSignal(Signal signal) {
    record("signal " + signal.type() + " " + signal.fromPeerId());
  }

  @Override
  public void onPartySnapshot(PartyInfo party) {
    record("snapshot " + String.join(",", party.peers().stream().map(Peer::id).sorted().toList()));
  }

  @Override
  public void onConnectivityChanged(boolean connected, String detail) {
    record(connected ? "connected" : "disconnected");
  }
}
