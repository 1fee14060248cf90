package io.partynet.core.testing;

import io.partynet.testing.Eventually;
import io.partynet.DisbandReason;
import io.partynet.LeaveReason;
import io.partynet.Party;
import io.partynet.PartyListener;
import io.partynet.Peer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records every callback as a short line ({@code "peerJoined bob"}) and the threads they ran on,
 * so tests can wait for an event and check order and threading. Thread-safe.
 */
public final class RecordingPartyListener implements PartyListener {
  private final List<String> events = new ArrayList<>();
  private final Set<String> threads = ConcurrentHashMap.newKeySet();

  private synchronized void record(String event) {
    threads.add(Thread.currentThread().getName());
    events.add(event);
  }

  public synchronized List<String> events() {
    return List.copyOf(events);
  }

  public Set<String> threads() {
    return Set.copyOf(threads);
  }

  public synchronized void clear() {
    events.clear();
  }

  /** Waits until an event equal to {@code event} was recorded. */
  public void await(String event, Duration timeout) {
    Eventually.until(timeout, () -> events().contains(event), () -> "event '" + event + "' in " + events());
  }

  public void await(String event) {
    await(event, Duration.ofSeconds(5));
  }

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
}
