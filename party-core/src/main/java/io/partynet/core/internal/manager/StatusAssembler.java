package io.partynet.core.internal.manager;

import io.partynet.ConnectionType;
import io.partynet.Key;
import io.partynet.LinkQuality;
import io.partynet.Party;
import io.partynet.PartyException;
import io.partynet.PartyStatus;
import io.partynet.PathType;
import io.partynet.Peer;
import io.partynet.PeerStatus;
import io.partynet.spi.ControlPlane;
import io.partynet.spi.PeerPresence;
import io.partynet.spi.PeerStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts {@link PartyStatus} together from what each part knows: the party from the membership,
 * WireGuard's counters from the data plane, paths and latency from the connection layer, last-seen
 * times from the control plane (when it implements {@link PeerPresence}) or local estimates, and
 * our own NAT type and endpoint. Runs on the worker thread.
 */
final class StatusAssembler {
  private static final Logger LOG = LoggerFactory.getLogger(StatusAssembler.class);

  private final String myPeerId;
  private final DataPlane dataPlane;
  private final ControlPlane controlPlane;
  private final LocalEndpoint local;
  private final Duration timeout;
  private final Clock clock;

  StatusAssembler(String myPeerId, DataPlane dataPlane, ControlPlane controlPlane, LocalEndpoint local,
      Duration timeout, Clock clock) {
    this.myPeerId = myPeerId;
    this.dataPlane = dataPlane;
    this.controlPlane = controlPlane;
    this.local = local;
    this.timeout = timeout;
    this.clock = clock;
  }

  /**
   * @param links the party's connection layer, or null while it has none (resuming)
   * @param localLastSeen when this member last heard of each member, for planes without presence
   */
  PartyStatus assemble(Party current, ConnectionLayer links, Map<String, Instant> localLastSeen) {
    Map<Key, PeerStats> stats = dataPlane.stats();
    Map<String, Instant> seen = presence(current.id(), localLastSeen);
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
      LinkQuality quality = links == null ? null : links.linkQuality(peer).orElse(null);
      Peer view = links == null ? peer.withConnectionType(ConnectionType.NONE)
          : peer.withConnectionType(links.connectionType(peer)).withLatencyMs(quality == null ? null : quality.rttMs());
      if (s != null && s.endpoint() != null) {
        view = view.withEndpoint(s.endpoint());
      }
      PathType path = links == null ? PathType.NONE : links.path(peer);
      peers.add(new PeerStatus(view, false, latest(seen.get(peer.id()), handshake), handshake,
          s == null ? 0 : s.rxBytes(), s == null ? 0 : s.txBytes(), path, quality));
    }
    return new PartyStatus(current.id(), current.name(), current.hostId(), myPeerId, local.natType(),
        dataPlane.name(), controlPlane.name(), peers, clock.instant());
  }

  private Map<String, Instant> presence(String partyId, Map<String, Instant> localLastSeen) {
    Map<String, Instant> seen = new HashMap<>(localLastSeen);
    if (controlPlane instanceof PeerPresence presence) {
      try {
        seen.putAll(Futures.await(presence.lastSeen(partyId), timeout, "reading last-seen times"));
      } catch (PartyException e) {
        LOG.debug("last-seen times unavailable ({}); using local estimates", e.getMessage());
      }
    }
    return seen;
  }

  private static Instant latest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isAfter(b) ? a : b;
  }
}
