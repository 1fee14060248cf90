package io.partynet.core.internal.manager;

import io.partynet.ConnectionType;
import io.partynet.Endpoint;
import io.partynet.Key;
import io.partynet.Peer;
import io.partynet.core.internal.connection.PartySignals;
import io.partynet.spi.ControlPlane;
import io.partynet.spi.PeerStats;
import io.partynet.spi.Signal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one party's {@link ConnectionLayer} tells the other members through the control plane:
 * host candidates, punch requests, relay candidates, and where we see a member when that differs
 * from what it advertises (so it notices a NAT rebinding). Fire and forget: every signal is either
 * sent again on the next change or recovered by the connection manager's own retries, so a lost
 * one is logged at debug level only.
 *
 * <p>Confined to the manager's worker thread, except {@link #relayCandidate}, which the relay may
 * call from its own thread (it only sends).
 */
final class OutgoingSignals {
  private static final Logger LOG = LoggerFactory.getLogger(OutgoingSignals.class);

  private final ControlPlane controlPlane;
  private final String partyId;
  private final String myPeerId;
  /** The last observed endpoint reported to each member, so a difference is signalled once. */
  private final Map<String, Endpoint> reported = new HashMap<>();

  OutgoingSignals(ControlPlane controlPlane, String partyId, String myPeerId) {
    this.controlPlane = controlPlane;
    this.partyId = partyId;
    this.myPeerId = myPeerId;
  }

  /** Our host candidates (own addresses with the listen port) for {@code peerId}. */
  void candidates(String peerId, List<Endpoint> hostEndpoints) {
    send(PartySignals.candidates(partyId, myPeerId, peerId, hostEndpoints));
  }

  /** Asks {@code peer} to send towards us at once, so both NATs open a mapping. */
  void punch(Peer peer) {
    send(PartySignals.punch(partyId, myPeerId, peer.id()));
  }

  /** Our relayed address at the TURN server, for {@code peerId}. */
  void relayCandidate(String peerId, Endpoint relayed) {
    send(PartySignals.relayCandidate(partyId, myPeerId, peerId, relayed));
  }

  /**
   * Tells each directly connected member where its WireGuard packets come from, when that differs
   * from the endpoint it advertises (and from what we last told it).
   */
  void reportObservedEndpoints(Iterable<Peer> members, Map<Key, PeerStats> stats,
      Function<String, ConnectionType> connectionTypes) {
    for (Peer peer : members) {
      if (peer.id().equals(myPeerId) || peer.endpoint() == null
          || connectionTypes.apply(peer.id()) != ConnectionType.DIRECT) {
        continue;
      }
      PeerStats s = stats.get(Key.fromBase64(peer.publicKey()));
      Endpoint seen = s == null ? null : s.endpoint();
      if (seen == null || seen.equals(peer.endpoint())) {
        reported.remove(peer.id());
      } else if (!seen.equals(reported.get(peer.id()))) {
        reported.put(peer.id(), seen);
        send(PartySignals.observedEndpoint(partyId, myPeerId, peer.id(), seen));
      }
    }
  }

  private void send(Signal signal) {
    controlPlane.signal(signal).whenComplete((ok, error) -> {
      if (error != null) {
        LOG.debug("signal '{}' to {} not delivered: {}", signal.type(), signal.toPeerId(), error.toString());
      }
    });
  }
}
