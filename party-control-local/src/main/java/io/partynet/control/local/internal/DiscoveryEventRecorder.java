package io.partynet.control.local.internal;

import io.partynet.DisbandReason;
import io.partynet.LeaveReason;
import io.partynet.Peer;
import io.partynet.core.internal.registry.RegistryListener;
import java.time.Clock;
import java.util.List;

/**
 * Turns the registry changes made inside one discovery-file transaction into discovery events,
 * numbered on from the file's last sequence number. Not thread-safe: one transaction uses it.
 */
final class DiscoveryEventRecorder implements RegistryListener {
  private final List<DiscoveryEvent> sink;
  private final Clock clock;
  private long seq;

  DiscoveryEventRecorder(List<DiscoveryEvent> sink, long lastSeq, Clock clock) {
    this.sink = sink;
    this.seq = lastSeq;
    this.clock = clock;
  }

  @Override
  public void onPeerJoined(String partyId, Peer peer) {
    sink.add(new DiscoveryEvent(++seq, partyId, DiscoveryEvent.PEER_JOINED, peer, null, null, clock.instant()));
  }

  @Override
  public void onPeerLeft(String partyId, Peer peer, LeaveReason reason) {
    sink.add(new DiscoveryEvent(++seq, partyId, DiscoveryEvent.PEER_LEFT, peer, reason.wireValue(), null, clock.instant()));
  }

  @Override
  public void onPeerUpdated(String partyId, Peer peer) {
    sink.add(new DiscoveryEvent(++seq, partyId, DiscoveryEvent.PEER_UPDATED, peer, null, null, clock.instant()));
  }

  @Override
  public void onPartyDisbanded(String partyId, DisbandReason reason) {
    sink.add(new DiscoveryEvent(++seq, partyId, DiscoveryEvent.PARTY_DISBANDED, null, reason.wireValue(), null,
        clock.instant()));
  }
}
