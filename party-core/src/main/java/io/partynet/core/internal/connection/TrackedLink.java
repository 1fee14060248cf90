package io.partynet.core.internal.connection;

import io.partynet.Endpoint;
import io.partynet.PathCandidate;
import io.partynet.Peer;
import io.partynet.spi.PeerStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A member the {@link ConnectionManager} connects to, with its link and plan. Only touched on the manager's thread. */
final class TrackedLink {
  Peer peer;
  final PeerLink link;
  final List<PathKind> plan;
  /** The host candidate the plan starts with, or null. */
  final HostCandidates.Choice choice;
  /** Moves the link off the relay when a direct path works; null when the plan has none before the relay. */
  final PathUpgrade upgrade;
  /** The relay forwarder WireGuard uses for this peer, once the relay path was configured or became ready. */
  Endpoint forwarder;
  /** When this plan was started. */
  final Instant started;
  /** WireGuard's statistics for the peer at the last tick (carried over from the previous plan); null: none. */
  PeerStats lastStats;

  TrackedLink(Peer peer, PeerLink link, List<PathKind> plan, HostCandidates.Choice choice, UpgradeSettings upgrades,
      Instant started) {
    this.peer = peer;
    this.started = started;
    this.link = link;
    this.plan = plan;
    this.choice = choice;
    this.upgrade = upgradeTarget() == null ? null : new PathUpgrade(upgrades);
  }

  /** The plan's paths in order, each with the endpoint it aims at (none for the relay). */
  List<PathCandidate> candidates() {
    List<PathCandidate> tried = new ArrayList<>(plan.size());
    for (PathKind path : plan) {
      Endpoint endpoint = switch (path) {
        case LAN, IPV6 -> choice.endpoint();
        case DIRECT, PUNCH -> peer.endpoint();
        case RELAY -> null;
      };
      tried.add(new PathCandidate(path.type(), endpoint));
    }
    return List.copyOf(tried);
  }

  /** The best path of the plan before the relay, or null when the plan does not end on the relay. */
  PathKind upgradeTarget() {
    boolean relayLast = plan.size() > 1 && plan.get(plan.size() - 1) == PathKind.RELAY;
    return relayLast ? plan.get(0) : null;
  }
}
