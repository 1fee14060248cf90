package io.partynet.testing;

import io.partynet.LeaveReason;
import io.partynet.DisbandReason;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.spi.ControlPlaneListener;
import io.partynet.spi.Signal;
import java.util.ArrayList;
import java.util.List;

/**
 * Records every {@link ControlPlaneListener} callback as a short line:
 * {@code "peerJoined PARTY PEER"}, {@code "peerLeft PARTY PEER REASON"},
 * {@code "peerUpdated PARTY PEER ENDPOINT"}, {@code "partyDisbanded PARTY REASON"},
 * {@code "signal PARTY FROM TYPE"}, {@code "snapshot PARTY PEER,PEER,..."} (ids sorted),
 * {@code "connected"} / {@code "disconnected"}. Signals and snapshots are also kept whole.
 * Thread-safe.
 */
public final class ControlPlaneEventRecorder extends EventLog implements ControlPlaneListener {
  private final List<Signal> signals = new ArrayList<>();
  private final List<PartyInfo> snapshots = new ArrayList<>();

  @Override
  public void onPeerJoined(String partyId, Peer peer) {
    record("peerJoined " + partyId + " " + peer.id());
  }

  @Override
  public void onPeerLeft(String partyId, String peerId, LeaveReason reason) {
    record("peerLeft " + partyId + " " + peerId + " " + reason);
  }

  @Override
  public void onPeerUpdated(String partyId, Peer peer) {
    record("peerUpdated " + partyId + " " + peer.id() + " " + peer.endpoint());
  }

  @Override
  public void onPartyDisbanded(String partyId, DisbandReason reason) {
    record("partyDisbanded " + partyId + " " + reason);
  }

  @Override
  public void onSignal(Signal signal) {
    synchronized (this) {
      signals.add(signal);
    }
    record("signal " + signal.partyId() + " " + signal.fromPeerId() + " " + signal.type());
  }

  @Override
  public void onPartySnapshot(PartyInfo party) {
    synchronized (this) {
      snapshots.add(party);
    }
    record("snapshot " + party.partyId() + " "
        + String.join(",", party.peers().stream().map(Peer::id).sorted().toList()));
  }

  @Override
  public void onConnectivityChanged(boolean connected, String detail) {
    record(connected ? "connected" : "disconnected");
  }

  /** Every signal received, oldest first. */
  public synchronized List<Signal> signals() {
    return List.copyOf(signals);
  }

  /** Every snapshot received, oldest first. */
  public synchronized List<PartyInfo> snapshots() {
    return List.copyOf(snapshots);
  }

  /** The lines about parties: everything but connectivity changes. */
  public List<String> partyEvents() {
    return events().stream().filter(e -> !e.equals("connected") && !e.equals("disconnected")).toList();
  }
}
