package io.partynet.core.internal.manager;

import io.partynet.Endpoint;
import io.partynet.core.internal.connection.ConnectionManager;
import io.partynet.core.internal.connection.PartySignals;
import io.partynet.core.internal.nat.turn.TurnRelay;
import io.partynet.spi.Signal;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What another member of the party signals to this member's {@link ConnectionLayer}, each handed
 * to the part it concerns: a punch request and host candidates to the connection manager, a relay
 * candidate to the TURN relay, and where that member sees us, which may be a NAT rebinding
 * ({@link LocalEndpoint#adoptObserved}) to publish. A signal this version does not know, or a
 * malformed one, is ignored: signals are hints, and a newer member may send kinds we lack.
 *
 * <p>Confined to the manager's worker thread.
 */
final class IncomingSignals {
  private static final Logger LOG = LoggerFactory.getLogger(IncomingSignals.class);

  private final ConnectionManager links;
  private final Optional<TurnRelay> relay;
  private final LocalEndpoint local;
  private final ConnectionLayer.Upward upward;

  IncomingSignals(ConnectionManager links, Optional<TurnRelay> relay, LocalEndpoint local,
      ConnectionLayer.Upward upward) {
    this.links = links;
    this.relay = relay;
    this.local = local;
    this.upward = upward;
  }

  void on(Signal signal) {
    switch (signal.type()) {
      case PartySignals.PUNCH -> links.punchRequested(signal.fromPeerId());
      case PartySignals.OBSERVED_ENDPOINT -> observed(signal);
      case PartySignals.RELAY_CANDIDATE -> relay.ifPresent(r -> r.onSignal(signal));
      case PartySignals.CANDIDATES -> links.hostCandidates(signal.fromPeerId(), PartySignals.hostCandidates(signal));
      default -> LOG.debug("ignoring a '{}' signal from {}: not a signal this version knows", signal.type(),
          signal.fromPeerId());
    }
  }

  private void observed(Signal signal) {
    Endpoint seen;
    try {
      seen = PartySignals.endpoint(signal, PartySignals.ENDPOINT_KEY);
    } catch (IllegalArgumentException e) {
      LOG.debug("ignoring a malformed {} signal from {}: {}", signal.type(), signal.fromPeerId(), e.getMessage());
      return;
    }
    if (local.adoptObserved(seen)) {
      links.setLocal(local.natType(), seen);
      upward.endpointMoved(seen);
    }
  }
}
