package io.partynet.core.internal.manager;

import io.partynet.ConnectionType;
import io.partynet.Endpoint;
import io.partynet.NatType;
import io.partynet.PartyDatagramSocket;
import io.partynet.Peer;
import io.partynet.core.internal.connection.Backoff;
import io.partynet.core.internal.connection.ConnectionManager;
import io.partynet.core.internal.connection.LatencyProber;
import io.partynet.core.internal.connection.LinkSettings;
import io.partynet.core.internal.connection.OsDatagramSocket;
import io.partynet.core.internal.nat.turn.TurnRelay;
import io.partynet.spi.Signal;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's connections to the other members while the interface is up: a
 * {@link ConnectionManager} choosing and watching each path, the punch signals it exchanges
 * through the control plane, the relay (when one is configured) and the latency prober that
 * measures each member over the tunnel. Membership changes come in through {@link #add},
 * {@link #update} and {@link #remove}; {@link #tick()} runs the monitoring.
 *
 * <p>Confined to the manager's worker thread, except {@link #latencyMs} and {@link #connectionType}
 * reads, which tolerate a concurrent update.
 */
final class Connections {
  /** Signal asking the other member to point WireGuard at us again now, so both sides send at once. */
  static final String PUNCH_SIGNAL = "punch-now";
  /**
   * Signal telling a member where our WireGuard sees it (a direct link's current endpoint), when that
   * differs from what it advertised: after a NAT rebinding only the others can see its new port.
   */
  static final String OBSERVED_SIGNAL = "observed-endpoint";
  static final String OBSERVED_ENDPOINT = "endpoint";
  private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

  private final DataPlane dataPlane;
  private final Consumer<Signal> signalSender;
  private final Optional<TurnRelay> relay;
  private final ConnectionManager manager;
  private final int probePort;
  private final Consumer<Endpoint> observedSelf;
  /** The last observed endpoint reported to each member, so a difference is signalled once. */
  private final Map<String, Endpoint> reported = new HashMap<>();
  private volatile LatencyProber prober;
  private Thread proberThread;
  private String partyId;
  private String myPeerId;

  /**
   * @param relay the TURN relay, when {@code nat.turn-server} is configured
   * @param signalSender sends a signal through the control plane (asynchronously; failures are logged there)
   * @param changes told whenever a member's connection type changes or it is given up
   */
  Connections(DataPlane dataPlane, Optional<TurnRelay> relay, Consumer<Signal> signalSender,
      Consumer<Endpoint> observedSelf, ConnectionManager.Listener changes, LinkSettings linkSettings, int probePort,
      Clock clock) {
    this.observedSelf = Objects.requireNonNull(observedSelf, "observedSelf");
    this.dataPlane = Objects.requireNonNull(dataPlane, "dataPlane");
    this.signalSender = Objects.requireNonNull(signalSender, "signalSender");
    this.relay = relay;
    this.probePort = probePort;
    SecureRandom random = new SecureRandom();
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), random::nextDouble);
    this.manager = new ConnectionManager(dataPlane::configure, relay.map(r -> (ConnectionManager.Relay) r), this::sendPunch, changes, linkSettings, backoff, clock);
  }

  /** The interface is up at {@code myVirtualIp}: start measuring latency. */
  void start(String partyId, String myPeerId, String myVirtualIp, NatType natType, Endpoint myEndpoint) {
    this.partyId = partyId;
    this.myPeerId = myPeerId;
    manager.setLocal(natType, myEndpoint);
    startProber(myVirtualIp);
  }

  /** A new public endpoint or NAT type of our own (detected again, or a rebinding). */
  void setLocal(NatType natType, Endpoint myEndpoint) {
    manager.setLocal(natType, myEndpoint);
  }

  void add(Peer peer) {
    if (peer.virtualIp() == null) {
      LOG.warn("member {} ({}) has no virtual IP yet; not connecting", peer.name(), peer.id());
      return;
    }
    manager.track(peer);
  }

  void update(Peer old, Peer updated) {
    if (!old.publicKey().equals(updated.publicKey())) {
      remove(old);
    }
    add(updated);
  }

  void remove(Peer peer) {
    manager.untrack(peer.id());
    dataPlane.removePeer(peer);
    LatencyProber p = prober;
    if (p != null && peer.virtualIp() != null) {
      p.forget(peer.virtualIp());
    }
  }

  /** Steps every link, pings every member, and tells members where we see them when it changed. */
  void tick(Iterable<Peer> members) {
    Map<io.partynet.Key, io.partynet.spi.PeerStats> stats = dataPlane.stats();
    manager.tick(stats);
    reportObservedEndpoints(members, stats);
    LatencyProber p = prober;
    if (p != null) {
      for (Peer peer : members) {
        if (!peer.id().equals(myPeerId) && peer.virtualIp() != null) {
          p.ping(peer.virtualIp());
        }
      }
    }
  }

  void onSignal(Signal signal) {
    if (PUNCH_SIGNAL.equals(signal.type())) {
      manager.punchRequested(signal.fromPeerId());
    } else if (OBSERVED_SIGNAL.equals(signal.type())) {
      try {
        observedSelf.accept(Endpoint.parse(signal.data().getOrDefault(OBSERVED_ENDPOINT, "")));
      } catch (IllegalArgumentException e) {
        LOG.debug("ignoring a malformed {} signal from {}: {}", OBSERVED_SIGNAL, signal.fromPeerId(), e.getMessage());
      }
    } else if (TurnRelay.SIGNAL_TYPE.equals(signal.type())) {
      relay.ifPresent(r -> r.onSignal(signal));
    }
  }

  /** The relay path to {@code peerId} can be used now. */
  void relayReady(String peerId) {
    manager.relayReady(peerId);
  }

  ConnectionType connectionType(String peerId) {
    return manager.connectionType(peerId);
  }

  Optional<Double> latencyMs(Peer peer) {
    LatencyProber p = prober;
    return p == null || peer.virtualIp() == null ? Optional.empty() : p.latencyMs(peer.virtualIp());
  }

  /** Stops everything (the interface goes down). */
  void stop() {
    manager.clear();
    relay.ifPresent(TurnRelay::close);
    LatencyProber p = prober;
    prober = null;
    if (p != null) {
      p.close();
    }
    if (proberThread != null) {
      proberThread.interrupt();
      proberThread = null;
    }
  }

  private void reportObservedEndpoints(Iterable<Peer> members, Map<io.partynet.Key, io.partynet.spi.PeerStats> stats) {
    for (Peer peer : members) {
      if (peer.id().equals(myPeerId) || peer.endpoint() == null
          || manager.connectionType(peer.id()) != ConnectionType.DIRECT) {
        continue;
      }
      io.partynet.spi.PeerStats s = stats.get(io.partynet.Key.fromBase64(peer.publicKey()));
      Endpoint seen = s == null ? null : s.endpoint();
      if (seen == null || seen.equals(peer.endpoint())) {
        reported.remove(peer.id());
      } else if (!seen.equals(reported.get(peer.id()))) {
        reported.put(peer.id(), seen);
        signalSender.accept(new Signal(partyId, myPeerId, peer.id(), OBSERVED_SIGNAL,
            Map.of(OBSERVED_ENDPOINT, seen.toString())));
      }
    }
  }

  private void sendPunch(Peer peer) {
    if (partyId != null) {
      signalSender.accept(new Signal(partyId, myPeerId, peer.id(), PUNCH_SIGNAL, Map.of()));
    }
  }

  private void startProber(String myVirtualIp) {
    PartyDatagramSocket socket;
    try {
      Optional<io.partynet.spi.UserspaceNetwork> userspace = dataPlane.userspace();
      socket = userspace.isPresent() ? userspace.get().openDatagramSocket(probePort)
          : OsDatagramSocket.bind(myVirtualIp, probePort);
    } catch (IOException | RuntimeException e) {
      LOG.warn("latency will not be measured: cannot open the probe port {} on {} ({})", probePort, myVirtualIp,
          e.getMessage());
      return;
    }
    LatencyProber p = new LatencyProber(socket, probePort, System::nanoTime);
    prober = p;
    proberThread = new Thread(p::serve, "partynet-latency");
    proberThread.setDaemon(true);
    proberThread.start();
  }
}
