package io.partynet.core.internal.manager;

import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.Peer;
import io.partynet.spi.InterfaceConfig;
import io.partynet.spi.NetworkBackend;
import io.partynet.spi.PeerConfig;
import io.partynet.spi.PeerStats;
import io.partynet.spi.UserspaceNetwork;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's view of the WireGuard data plane for the current party: one backend instance from
 * interface up to interface down, or nothing at all when the network is off (membership only).
 * Instances made for a party are closed when it ends; an instance the application passed in is
 * only taken {@linkplain NetworkBackend#down() down}, never closed, so the next party can use it.
 * Peer changes that the platform refuses are logged, not thrown: one unreachable member must not
 * stop the party.
 *
 * <p>Mutated only on the manager's worker thread; {@link #stats()} and {@link #userspace()} may be
 * read from any thread.
 */
final class DataPlane {
  /** WireGuard's recommended keepalive for peers behind NAT (wg(8): "a sensible interval ... 25"). */
  static final int KEEPALIVE_SECONDS = 25;
  static final String OFF = "off";
  private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);

  private final String name;
  private final Supplier<NetworkBackend> backends;
  /** Whether each instance is ours to close (made for one party) or only to take down (borrowed). */
  private final boolean ownsInstances;
  private volatile NetworkBackend active;

  private DataPlane(String name, Supplier<NetworkBackend> backends, boolean ownsInstances) {
    this.name = name;
    this.backends = backends;
    this.ownsInstances = ownsInstances;
  }

  /** No network: members see each other through the control plane only. */
  static DataPlane off() {
    return new DataPlane(OFF, null, false);
  }

  /** A backend named {@code name}; {@code backends} makes the instance used for one party, closed when it ends. */
  static DataPlane of(String name, Supplier<NetworkBackend> backends) {
    return new DataPlane(Objects.requireNonNull(name, "name"), Objects.requireNonNull(backends, "backends"), true);
  }

  /** The application's {@code backend}, used for every party and never closed. */
  static DataPlane borrowed(NetworkBackend backend) {
    Objects.requireNonNull(backend, "backend");
    return new DataPlane(backend.name(), () -> backend, false);
  }

  boolean isOff() {
    return backends == null;
  }

  boolean isUp() {
    return active != null;
  }

  /** The backend's name, or {@code "off"}. */
  String name() {
    return name;
  }

  /** Brings the interface up; returns the UDP port WireGuard listens on, or 0 when the network is off. */
  int up(InterfaceConfig config) throws IOException {
    if (isOff()) {
      return 0;
    }
    down();
    NetworkBackend backend = backends.get();
    try {
      int port = backend.up(config);
      active = backend;
      LOG.info("interface {} is up at {} on UDP port {} ({})", config.name(), config.address(), port, name);
      return port;
    } catch (IOException | RuntimeException e) {
      release(backend);
      throw e;
    }
  }

  void addPeer(Peer peer) {
    apply(peer, "add", (backend, config) -> backend.addPeer(config));
  }

  void updatePeer(Peer peer) {
    apply(peer, "update", (backend, config) -> backend.updatePeer(config));
  }

  /** Adds or updates {@code peer}, sending its traffic to {@code endpoint} (its own, or a relay's loopback port). */
  void configure(Peer peer, io.partynet.Endpoint endpoint) {
    apply(peer, "configure", (backend, config) -> backend.addPeer(config.withEndpoint(endpoint)));
  }

  void removePeer(Peer peer) {
    NetworkBackend backend = active;
    if (backend == null) {
      return;
    }
    try {
      backend.removePeer(Key.fromBase64(peer.publicKey()));
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not remove WireGuard peer {} ({}): {}", peer.name(), peer.id(), e.toString());
    }
  }

  /** WireGuard's per-peer counters by public key; empty when the network is off or down. */
  Map<Key, PeerStats> stats() {
    NetworkBackend backend = active;
    Map<Key, PeerStats> byKey = new HashMap<>();
    if (backend == null) {
      return byKey;
    }
    try {
      List<PeerStats> stats = backend.peerStats();
      for (PeerStats s : stats) {
        byKey.put(s.publicKey(), s);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not read WireGuard peer statistics from {}: {}", name, e.toString());
    }
    return byKey;
  }

  Optional<io.partynet.spi.PartyNetwork> partyNetwork() {
    NetworkBackend backend = active;
    return backend == null ? Optional.empty() : backend.partyNetwork();
  }

  /** The address WireGuard is bound to, when the backend binds one ({@link NetworkBackend#listenAddress()}). */
  Optional<java.net.InetAddress> listenAddress() {
    NetworkBackend backend = active;
    return backend == null ? Optional.empty() : backend.listenAddress();
  }

  Optional<UserspaceNetwork> userspace() {
    NetworkBackend backend = active;
    return backend == null ? Optional.empty() : backend.userspaceNetwork();
  }

  /** Takes the interface down (closing an instance made for the party); a no-op when it is not up. */
  void down() {
    NetworkBackend backend = active;
    active = null;
    if (backend != null) {
      release(backend);
    }
  }

  static PeerConfig peerConfig(Peer peer) {
    return new PeerConfig(Key.fromBase64(peer.publicKey()), null, peer.endpoint(),
        List.of(new IpPrefix(peer.virtualIp(), 32)), KEEPALIVE_SECONDS);
  }

  private interface PeerChange {
    void apply(NetworkBackend backend, PeerConfig config) throws IOException;
  }

  private void apply(Peer peer, String verb, PeerChange change) {
    NetworkBackend backend = active;
    if (backend == null) {
      return;
    }
    if (peer.virtualIp() == null) {
      LOG.warn("member {} ({}) has no virtual IP yet; not adding it to WireGuard", peer.name(), peer.id());
      return;
    }
    try {
      change.apply(backend, peerConfig(peer));
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not {} WireGuard peer {} ({}): {}", verb, peer.name(), peer.id(), e.toString());
    }
  }

  private void release(NetworkBackend backend) {
    try {
      if (ownsInstances) {
        backend.close();
      } else {
        backend.down();
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("taking the {} interface down failed: {}", name, e.toString());
    }
  }
}
