package io.partynet.core.internal.manager;

import io.partynet.DisbandReason;
import io.partynet.LeaveReason;
import io.partynet.LinkQuality;
import io.partynet.Party;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.spi.ControlPlaneListener;
import io.partynet.spi.Signal;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies what the control plane reports to the {@link Membership}: members joining, leaving and
 * changing, the party being disbanded, full snapshots after a gap, and signals for the connection
 * layer. The control plane delivers these on the manager's worker (the executor the manager
 * registered this listener with), so they interleave with nothing else.
 *
 * <p>Confined to the manager's worker thread.
 */
final class MemberEvents implements ControlPlaneListener {
  private static final Logger LOG = LoggerFactory.getLogger(MemberEvents.class);

  private final Membership membership;
  private final ControlPlaneSession session;
  private final EventDispatcher events;
  private final String myPeerId;

  MemberEvents(Membership membership, ControlPlaneSession session, EventDispatcher events, String myPeerId) {
    this.membership = membership;
    this.session = session;
    this.events = events;
    this.myPeerId = myPeerId;
  }

  @Override
  public void onPeerJoined(String partyId, Peer peer) {
    Party current = membership.currentIf(partyId);
    if (current == null || peer.id().equals(myPeerId)) {
      return;
    }
    if (current.peers().containsKey(peer.id())) {
      onPeerUpdated(partyId, peer);
      return;
    }
    Party now = current.withPeer(peer);
    membership.seen(peer.id());
    ConnectionLayer links = membership.links();
    if (links != null) {
      links.add(peer);
    }
    membership.changed(now);
    events.emit("onPeerJoined", l -> l.onPeerJoined(now, peer));
  }

  @Override
  public void onPeerLeft(String partyId, String peerId, LeaveReason reason) {
    Party current = membership.currentIf(partyId);
    if (current == null) {
      return;
    }
    if (peerId.equals(myPeerId)) {
      membership.selfRemoved(current, reason);
      return;
    }
    Peer gone = current.peers().get(peerId);
    if (gone == null) {
      return;
    }
    ConnectionLayer links = membership.links();
    if (links != null) {
      links.remove(gone);
    }
    membership.unseen(peerId);
    Party now = current.withoutPeer(peerId);
    membership.changed(now);
    events.emit("onPeerLeft", l -> l.onPeerLeft(now, gone, reason));
  }

  @Override
  public void onPeerUpdated(String partyId, Peer peer) {
    Party current = membership.currentIf(partyId);
    if (current == null || peer.id().equals(myPeerId)) {
      return;
    }
    Peer old = current.peers().get(peer.id());
    if (old == null) {
      onPeerJoined(partyId, peer);
      return;
    }
    ConnectionLayer links = membership.links();
    // The record is the member's own; the path and latency to it are this member's measurements,
    // taken before the update: a link that restarts on a new endpoint reports its own change.
    ConnectionLayer.LinkStatus link = links == null ? ConnectionLayer.LinkStatus.NONE : links.status(old);
    Peer updated = (peer.virtualIp() == null ? peer.withVirtualIp(old.virtualIp()) : peer)
        .withConnectionType(link.type()).withLatencyMs(link.quality().map(LinkQuality::rttMs).orElse(null));
    boolean pathChanged = !old.publicKey().equals(updated.publicKey())
        || !Objects.equals(old.endpoint(), updated.endpoint())
        || !Objects.equals(old.virtualIp(), updated.virtualIp()) || old.natType() != updated.natType();
    if (pathChanged && links != null) {
      links.update(old, updated);
    }
    membership.seen(peer.id());
    Party now = current.withPeer(updated);
    membership.changed(now);
    events.emit("onPeerUpdated", l -> l.onPeerUpdated(now, updated));
  }

  @Override
  public void onPartyDisbanded(String partyId, DisbandReason reason) {
    Party current = membership.currentIf(partyId);
    if (current != null) {
      LOG.info("party {} was disbanded ({})", partyId, reason);
      membership.ended(current, reason);
    }
  }

  /** Reconciles with a full snapshot: joins, updates and departures as if the events had arrived. */
  @Override
  public void onPartySnapshot(PartyInfo info) {
    Party current = membership.currentIf(info.partyId());
    if (current == null) {
      return;
    }
    if (info.peer(myPeerId) == null) {
      membership.selfRemoved(current, LeaveReason.REMOVED);
      return;
    }
    for (Peer known : current.getPeerList()) {
      if (info.peer(known.id()) == null) {
        onPeerLeft(current.id(), known.id(), LeaveReason.LEFT);
      }
    }
    for (Peer peer : info.peers()) {
      Party now = membership.party();
      Peer known = now == null ? null : now.peers().get(peer.id());
      if (known == null) {
        onPeerJoined(current.id(), peer);
      } else if (!known.equals(peer)) {
        onPeerUpdated(current.id(), peer);
      }
    }
  }

  @Override
  public void onSignal(Signal signal) {
    Party current = membership.currentIf(signal.partyId());
    ConnectionLayer open = membership.links();
    if (current != null && open != null && current.peers().containsKey(signal.fromPeerId())) {
      open.onSignal(signal);
    }
  }

  @Override
  public void onConnectivityChanged(boolean connected, String detail) {
    String name = session.plane().name();
    events.emit("onControlPlaneChanged", l -> l.onControlPlaneChanged(name, detail));
    session.reachable(connected, detail);
  }
}
