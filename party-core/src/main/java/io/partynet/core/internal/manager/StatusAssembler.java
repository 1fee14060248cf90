package io.partynet.core.internal.manager;

import io.partynet.ConnectionType;
import io.partynet.Key;
import io.partynet.LinkQuality;
import io.partynet.Party;
import io.partynet.PartyStatus;
import io.partynet.Peer;
import io.partynet.PeerStatus;
import io.partynet.spi.PeerStats;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Puts {@link PartyStatus} together from what each part knows: the party from the membership,
 * WireGuard's counters from the data plane, paths and latency from the connection layer, last-seen
 * times from the membership (presence: events about a member, and the control plane's heartbeat
 * times when it implements {@code PeerPresence}, never a WireGuard handshake, which only says the
 * tunnel carried traffic), and our own NAT type and endpoint. Touches no network: it runs on the
 * caller's thread, so {@code status()} answers at once even while the control plane stalls.
 */
final class StatusAssembler {
  private final String myPeerId;
  private final DataPlane dataPlane;
  /** The plane in use now (a fallback may have replaced the configured one). */
  private final Supplier<String> controlPlaneName;
  private final LocalEndpoint local;
  private final Clock clock;

  StatusAssembler(String myPeerId, DataPlane dataPlane, Supplier<String> controlPlaneName, LocalEndpoint local,
      Clock clock) {
    this.myPeerId = myPeerId;
    this.dataPlane = dataPlane;
    this.controlPlaneName = controlPlaneName;
    this.local = local;
    this.clock = clock;
  }

  /**
   * @param links the party's connection layer, or null while it has none (resuming)
   * @param seen when this member last heard of each member (events, heartbeats)
   */
  PartyStatus assemble(Party current, ConnectionLayer links, Map<String, Instant> seen) {
    Map<Key, PeerStats> stats = dataPlane.stats();
    List<PeerStatus> peers = new ArrayList<>();
    for (Peer peer : current.getPeerList()) {
      if (peer.id().equals(myPeerId)) {
        Peer me = peer.withNatType(local.natType())
            .withEndpoint(local.endpoint() != null ? local.endpoint() : peer.endpoint());
        peers.add(new PeerStatus(me, true, seen.get(myPeerId), null, 0, 0));
        continue;
      }
      PeerStats s = stats.get(Key.fromBase64(peer.publicKey()));
      Instant handshake = s == null ? null : s.lastHandshake();
      // One reading per member: the link's type, path and quality agree with each other.
      ConnectionLayer.LinkStatus link = links == null ? ConnectionLayer.LinkStatus.NONE : links.status(peer);
      LinkQuality quality = link.quality().orElse(null);
      Peer view = links == null ? peer.withConnectionType(ConnectionType.NONE)
          : peer.withConnectionType(link.type()).withLatencyMs(quality == null ? null : quality.rttMs());
      if (s != null && s.endpoint() != null) {
        view = view.withEndpoint(s.endpoint());
      }
      peers.add(new PeerStatus(view, false, seen.get(peer.id()), handshake,
          s == null ? 0 : s.rxBytes(), s == null ? 0 : s.txBytes(), link.path(), quality));
    }
    return new PartyStatus(current.id(), current.name(), current.hostId(), myPeerId, local.natType(),
        dataPlane.name(), controlPlaneName.get(), peers, clock.instant());
  }
}
