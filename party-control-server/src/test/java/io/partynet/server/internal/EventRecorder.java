package io.partynet.server.internal;

import io.partynet.DisbandReason;
import io.partynet.LeaveReason;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.spi.ControlPlaneListener;
import io.partynet.spi.Signal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Records every control-plane event as a short text line, in order; tests wait for lines. */
final class EventRecorder implements ControlPlaneListener {
  private final List<String> events = new ArrayList<>();
  final List<Signal> signals = new ArrayList<>();
  final List<PartyInfo> snapshots = new ArrayList<>();

  @Override
  public synchronized void onPeerJoined(String partyId, Peer peer) {
    events.add("joined " + partyId + " " + peer.id());
  }

  @Override
  public synchronized void onPeerLeft(String partyId, String peerId, LeaveReason reason) {
    events.add("left " + partyId + " " + peerId + " " + reason);
  }

  @Override
  public synchronized void onPeerUpdated(String partyId, Peer peer) {
    events.add("updated " + partyId + " " + peer.id() + " " + peer.endpoint());
  }

  @Override
  public synchronized void onPartyDisbanded(String partyId, DisbandReason reason) {
    events.add("disbanded " + partyId + " " + reason);
  }

  @Override
  public synchronized void onSignal(Signal signal) {
    signals.add(signal);
    events.add("signal " + signal.partyId() + " " + signal.fromPeerId() + " " + signal.type());
  }

  @Override
  public synchronized void onPartySnapshot(PartyInfo party) {
    snapshots.add(party);
    events.add("snapshot " + party.partyId() + " " + party.peers().size());
  }

  @Override
  public synchronized void onConnectivityChanged(boolean connected, String detail) {
    events.add(connected ? "connected" : "disconnected");
  }

  synchronized List<String> events() {
    return List.copyOf(events);
  }

  synchronized long count(Predicate<String> p) {
    return events.stream().filter(p).count();
  }

  synchronized List<String> partyEvents() {
    return events.stream().filter(e -> !e.equals("connected") && !e.equals("disconnected")).toList();
  }

  void await(String line, Duration timeout) {
    ServerFixture.await("event '" + line + "' (have " + events() + ")", timeout, () -> events().contains(line));
  }
}
