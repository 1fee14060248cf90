package io.partynet.core.internal.manager;

import io.partynet.ConnectionType;
import io.partynet.Endpoint;
import io.partynet.LinkQuality;
import io.partynet.Party;
import io.partynet.Peer;
import io.partynet.spi.ControlPlane;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This member's own record as the others must see it, and what the connection layer reports up:
 * a path or link quality that changed becomes a listener event; an endpoint the others observe
 * (a NAT rebinding) or a NAT type learnt in the background is kept, persisted and published, so
 * every member dials us where we are now.
 *
 * <p>Confined to the manager's worker thread.
 */
final class SelfRecord implements ConnectionLayer.Upward {
  private static final Logger LOG = LoggerFactory.getLogger(SelfRecord.class);

  private final Membership membership;
  private final EventDispatcher events;
  private final ControlPlane controlPlane;
  private final LocalEndpoint local;
  private final String myPeerId;
  private final Duration timeout;

  SelfRecord(Membership membership, EventDispatcher events, ManagerParts parts, String myPeerId) {
    this.membership = membership;
    this.events = events;
    this.controlPlane = parts.controlPlane();
    this.local = parts.local();
    this.myPeerId = myPeerId;
    this.timeout = parts.config().requestTimeout();
  }

  @Override
  public void connectionChanged(String peerId, ConnectionType type) {
    Party current = membership.party();
    if (current != null && current.peers().containsKey(peerId)) {
      Peer view = current.peers().get(peerId).withConnectionType(type);
      events.emit("onPeerUpdated", l -> l.onPeerUpdated(current, view));
    }
  }

  @Override
  public void linkQualityChanged(String peerId, LinkQuality quality) {
    Party current = membership.party();
    if (current != null && current.peers().containsKey(peerId)) {
      Peer view = current.peers().get(peerId).withConnectionType(quality.path()).withLatencyMs(quality.rttMs());
      events.emit("onLinkQuality", l -> l.onLinkQuality(current, view, quality));
    }
  }

  @Override
  public void endpointMoved(Endpoint endpoint) {
    republish(me -> me.withEndpoint(endpoint));
  }

  /** NAT detection finished in the background: plan with it and advertise it. */
  void localLearned() {
    ConnectionLayer open = membership.links();
    if (open != null) {
      open.localChanged();
    }
    republish(me -> me.withNatType(local.natType())
        .withEndpoint(local.endpoint() != null ? local.endpoint() : me.endpoint()));
  }

  /** Our own record changed by {@code change}: kept, persisted and published when it differs. */
  private void republish(UnaryOperator<Peer> change) {
    Party current = membership.party();
    Peer me = current == null ? null : current.peers().get(myPeerId);
    if (me == null) {
      return;
    }
    Peer updated = change.apply(me);
    if (!updated.equals(me)) {
      membership.changed(current.withPeer(updated));
      publish(current.id(), updated);
    }
  }

  /** Tells the others where to reach us, without waiting: they also learn it when we reach them. */
  void publish(String partyId, Peer me) {
    Futures.bounded(controlPlane.updatePeer(partyId, me), timeout, "publishing our endpoint")
        .exceptionally(error -> {
          LOG.warn("could not publish our endpoint {} ({}); others learn it when we reach them", me.endpoint(),
              error.getMessage());
          return null;
        });
  }
}
