package io.partynet.core.internal.manager;

import io.partynet.ConnectionType;
import io.partynet.DiscoveryStats;
import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.Party;
import io.partynet.PartyConfig;
import io.partynet.PartyException;
import io.partynet.LinkQuality;
import io.partynet.PathType;
import io.partynet.Peer;
import io.partynet.core.internal.connection.ConnectionManager;
import io.partynet.core.internal.connection.HostCandidates;
import io.partynet.core.internal.connection.LinkSettings;
import io.partynet.core.internal.connection.PathKind;
import io.partynet.core.internal.connection.UpgradeSettings;
import io.partynet.core.internal.discovery.PartyDiscovery;
import io.partynet.core.internal.quality.LinkQualityMonitor;
import io.partynet.core.internal.quality.QualitySettings;
import io.partynet.core.internal.nat.turn.TurnRelay;
import io.partynet.spi.SettingKey;
import io.partynet.spi.InterfaceConfig;
import io.partynet.spi.PeerStats;
import io.partynet.spi.Signal;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of one party, from interface up to interface down: the WireGuard interface
 * (through the {@link DataPlane}), a {@link ConnectionManager} choosing and watching the path to
 * each member, the TURN relay it owns (when {@code nat.turn-server} is set), the signals it
 * exchanges through the control plane ({@link OutgoingSignals}, {@link IncomingSignals}) and the
 * link-quality monitor. It reports upward only through {@link Upward}; everything else it settles itself.
 *
 * <p>Confined to the manager's worker thread, except {@link #status}, which status reads from
 * the caller's thread and tolerates any thread.
 */
final class ConnectionLayer {
  /** The UDP port on every member's virtual IP that answers latency probes. */
  static final SettingKey<Integer> PROBE_PORT = SettingKey.ofInt("party.probe-port", 51899, 1, 65535);
  /**
   * A member whose latency probes went unanswered this long (six rounds of the one-second
   * monitoring) is shown without a path, although WireGuard's silence timeout has not taken the
   * link down yet: a crashed member is not shown DIRECT at its old endpoint for that long.
   */
  static final Duration PRESENCE_TIMEOUT = Duration.ofSeconds(6);
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionLayer.class);

  /** What the layer tells the membership. Called on the worker thread. */
  interface Upward {
    /** The path to member {@code peerId} changed to {@code type}. */
    void connectionChanged(String peerId, ConnectionType type);

    /** Our public endpoint moved (a NAT rebinding the others observed): publish it. */
    void endpointMoved(Endpoint endpoint);

    /** The link quality to member {@code peerId} changed meaningfully (already rate-limited). */
    default void linkQualityChanged(String peerId, LinkQuality quality) {}
  }

  /** The link to one member as status shows it ({@link #status}). */
  record LinkStatus(ConnectionType type, PathType path, Optional<LinkQuality> quality) {
    static final LinkStatus NONE = new LinkStatus(ConnectionType.NONE, PathType.NONE, Optional.empty());
  }

  private final ManagerParts parts;
  private final Upward upward;
  private final String partyId;
  private final String myPeerId;
  /** Our address on the party network; null when the network is off. */
  private IpPrefix address;
  /** Null when the network is off: membership only, nothing to connect. */
  private final ConnectionManager links;
  private final Optional<TurnRelay> relay;
  /** Empty when the network is off or the probe port could not be opened. */
  private final Optional<LinkQualityMonitor> quality;
  /** Our host candidates (own addresses with the listen port), sent to each member we connect to. */
  private final List<Endpoint> hostEndpoints;
  /** Null when the network is off: there is no one to signal, and no one signals us. */
  private final OutgoingSignals signals;
  private final IncomingSignals incoming;
  private boolean closed;
  /** LAN discovery while the interface is up (docs/lan-discovery.md); null when the network is off. */
  private PartyDiscovery discovery;

  /** The layer of a network that is off. */
  private ConnectionLayer(ManagerParts parts, Upward upward, String partyId, String myPeerId) {
    this.parts = parts;
    this.upward = upward;
    this.partyId = partyId;
    this.myPeerId = myPeerId;
    this.links = null;
    this.signals = null;
    this.incoming = null;
    this.relay = Optional.empty();
    this.quality = Optional.empty();
    this.hostEndpoints = List.of();
  }

  /** The layer of an interface that listens on {@code port} at {@code myVirtualIp}. */
  private ConnectionLayer(ManagerParts parts, Upward upward, String partyId, String myPeerId, int port, String myVirtualIp) {
    this.parts = parts;
    this.upward = upward;
    this.partyId = partyId;
    this.myPeerId = myPeerId;
    this.signals = new OutgoingSignals(parts.controlPlane(), partyId, myPeerId);
    RelaySignalling signalling = new RelaySignalling();
    Optional<TurnRelay> configured = TurnRelay.fromConfig(parts.config(), port, signalling);
    // Without a TURN server in the settings, the control plane's, with its short-lived credential.
    this.relay = configured.isPresent() ? configured
        : TurnRelay.fromIceServers(parts.controlPlane()::iceServers, port, signalling);
    this.links = new ConnectionManager(new WireGuardPeers(), relay.map(r -> r), signals::punch,
        new LinkChanges(), LinkSettings.defaults(), UpgradeSettings.defaults(), parts.backoff(), parts.clock());
    links.setLocal(parts.local().natType(), parts.local().endpoint());
    this.incoming = new IncomingSignals(links, relay, parts.local(), upward);
    this.quality = LinkQualityMonitor.open(QualitySettings.from(parts.config()), parts.dataPlane().userspace(),
        myVirtualIp, PROBE_PORT.from(parts.config()), parts.clock());
    List<HostCandidates.LocalAddress> addresses = HostCandidates.listenedOn(
        HostCandidates.local(parts.config().interfaceName()), parts.dataPlane().listenAddress());
    links.setLocalAddresses(addresses);
    this.hostEndpoints = HostCandidates.endpoints(addresses, port);
  }

  /**
   * Brings the interface up for {@code me} in a subnet of {@code prefixLength} bits, tells the
   * local endpoint the real listen port, and starts connecting to every other member of
   * {@code members}. With the network off, nothing is brought up and nothing connects.
   *
   * @throws IOException when the backend refuses; the interface is down again then
   */
  static ConnectionLayer open(ManagerParts parts, Upward upward, String partyId, Peer me, int prefixLength,
      Iterable<Peer> members, Supplier<Party> currentParty) throws IOException {
    DataPlane dataPlane = parts.dataPlane();
    if (dataPlane.isOff()) {
      return new ConnectionLayer(parts, upward, partyId, me.id());
    }
    PartyConfig config = parts.config();
    int port = dataPlane.up(new InterfaceConfig(config.interfaceName(), parts.privateKey(), config.listenPort(),
        new IpPrefix(me.virtualIp(), prefixLength), InterfaceConfig.DEFAULT_MTU));
    try {
      parts.local().listening(port);
      ConnectionLayer layer = new ConnectionLayer(parts, upward, partyId, me.id(), port, me.virtualIp());
      layer.address = new IpPrefix(me.virtualIp(), prefixLength);
      for (Peer peer : members) {
        if (!peer.id().equals(me.id())) {
          layer.add(peer);
        }
      }
      layer.discovery = PartyDiscovery.start(config, dataPlane.userspace(), config.interfaceName(), me.virtualIp(),
          me.id(), currentParty);
      return layer;
    } catch (RuntimeException e) {
      dataPlane.down();
      throw e;
    }
  }

  /** What the LAN discovery relay has done; "off" when it does not run. */
  DiscoveryStats discoveryStats() {
    return discovery == null ? DiscoveryStats.off() : discovery.stats();
  }

  /**
   * Whether this layer already serves {@code me} in {@code partyId} with the same address, so a
   * rejoin can keep the interface and its tunnels up ({@link #reconcile}) instead of reopening.
   */
  boolean serves(String partyId, Peer me, int prefixLength) {
    if (!this.partyId.equals(partyId) || !myPeerId.equals(me.id())) {
      return false;
    }
    return links == null || (me.virtualIp() != null && new IpPrefix(me.virtualIp(), prefixLength).equals(address));
  }

  /** Brings the members from {@code before} to {@code after} without touching the interface. */
  void reconcile(Iterable<Peer> before, Map<String, Peer> after) {
    Map<String, Peer> known = new HashMap<>();
    for (Peer peer : before) {
      if (!peer.id().equals(myPeerId)) {
        known.put(peer.id(), peer);
      }
    }
    for (Peer peer : after.values()) {
      if (peer.id().equals(myPeerId)) {
        continue;
      }
      Peer old = known.remove(peer.id());
      if (old == null) {
        add(peer);
      } else {
        update(old, peer);
      }
    }
    known.values().forEach(this::remove);
  }

  /** Our NAT type or endpoint was learnt again (in the background, or by a resume): plans made from now on use it. */
  void localChanged() {
    if (links != null) {
      links.setLocal(parts.local().natType(), parts.local().endpoint());
    }
  }

  void add(Peer peer) {
    if (links == null) {
      return;
    }
    if (peer.virtualIp() == null) {
      LOG.warn("member {} ({}) has no virtual IP yet; not connecting", peer.name(), peer.id());
      return;
    }
    if (!hostEndpoints.isEmpty()) {
      // Sent again on every update: idempotent, and it recovers a lost signal or a restarted peer.
      signals.candidates(peer.id(), hostEndpoints);
    }
    links.track(peer);
    quality.ifPresent(q -> q.track(peer.id(), peer.virtualIp()));
  }

  void update(Peer old, Peer updated) {
    if (!old.publicKey().equals(updated.publicKey())) {
      remove(old);
    }
    add(updated);
  }

  void remove(Peer peer) {
    if (links != null) {
      links.untrack(peer.id());
    }
    parts.dataPlane().removePeer(peer);
    quality.ifPresent(q -> q.untrack(peer.id()));
  }

  /** Steps every link, reports link-quality changes, and tells members where we see them when it changed. */
  void tick(Iterable<Peer> members) {
    if (links == null) {
      return;
    }
    Map<Key, PeerStats> stats = parts.dataPlane().stats();
    links.tick(stats);
    signals.reportObservedEndpoints(members, stats, links::connectionType);
    quality.ifPresent(q -> q.reportable(links::connectionType)
        .forEach(r -> upward.linkQualityChanged(r.peerId(), r.quality())));
  }

  /** A signal from another member of this party. */
  void onSignal(Signal signal) {
    if (incoming != null) {
      incoming.on(signal);
    }
  }

  /** One probe through the tunnel to {@code peer} ({@code party ping}). */
  CompletableFuture<Double> ping(Peer peer, Duration timeout) {
    return quality.map(q -> q.ping(peer.virtualIp(), timeout)).orElseGet(() -> CompletableFuture.failedFuture(
        PartyException.of(PartyException.Reason.BACKEND_UNAVAILABLE,
            "nothing can be sent to " + peer.name() + ": the network is off or its probe port could not be opened")));
  }

  /**
   * The link to {@code peer} as status shows it, each part read once so they agree: no path while
   * the member is absent from the tunnel (it answered probes before and has been silent longer
   * than {@link #PRESENCE_TIMEOUT}), else the connection type, the candidate carrying the traffic
   * and the measured quality (empty when nothing measures it).
   */
  LinkStatus status(Peer peer) {
    if (links == null) {
      return LinkStatus.NONE;
    }
    ConnectionType type = links.connectionType(peer.id());
    LinkQualityMonitor.Presence presence = quality.map(q -> q.presence(peer.id(), PRESENCE_TIMEOUT, type))
        .orElse(LinkQualityMonitor.Presence.UNKNOWN);
    if (presence.silent()) {
      return LinkStatus.NONE;
    }
    return new LinkStatus(type, type == ConnectionType.NONE ? PathType.NONE : pathType(peer.id()), presence.quality());
  }

  /** Which candidate carries the traffic to member {@code peerId}, whose link works. */
  private PathType pathType(String peerId) {
    return switch (links.path(peerId).orElse(PathKind.DIRECT)) {
      case LAN -> PathType.LAN;
      case IPV6 -> PathType.IPV6;
      case DIRECT, PUNCH -> PathType.DIRECT;
      case RELAY -> PathType.RELAY;
    };
  }

  /** Stops everything, removes every member from WireGuard and takes the interface down. */
  void close(Iterable<Peer> members) {
    closed = true;
    if (discovery != null) {
      discovery.close();
    }
    if (links != null) {
      links.clear();
    }
    relay.ifPresent(TurnRelay::close);
    quality.ifPresent(LinkQualityMonitor::close);
    for (Peer peer : members) {
      if (!peer.id().equals(myPeerId)) {
        parts.dataPlane().removePeer(peer);
      }
    }
    parts.dataPlane().down();
  }

  /** The data plane as the connection manager drives it. */
  private final class WireGuardPeers implements ConnectionManager.DataPath {
    @Override
    public void configure(Peer peer, Endpoint endpoint) {
      parts.dataPlane().configure(peer, endpoint);
    }

    @Override
    public void restart(Peer peer, Endpoint endpoint) {
      parts.dataPlane().removePeer(peer);
      parts.dataPlane().configure(peer, endpoint);
    }
  }

  /** The relay's outgoing candidates go straight to the control plane; its "ready" comes back in turn on the worker. */
  private final class RelaySignalling implements TurnRelay.Signalling {
    @Override
    public void sendCandidate(String peerId, Endpoint relayed) {
      signals.relayCandidate(peerId, relayed);
    }

    @Override
    public void relayReady(String peerId) {
      parts.worker().enqueue("relay ready", () -> {
        if (!closed) {
          links.relayReady(peerId);
        }
      });
    }
  }

  private final class LinkChanges implements ConnectionManager.Listener {
    @Override
    public void onConnectionChanged(Peer peer, ConnectionType type) {
      upward.connectionChanged(peer.id(), type);
    }
  }
}
