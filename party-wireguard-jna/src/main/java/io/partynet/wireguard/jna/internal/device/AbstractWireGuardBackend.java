package io.partynet.wireguard.jna.internal.device;

import io.partynet.Key;
import io.partynet.spi.InterfaceConfig;
import io.partynet.spi.NetworkBackend;
import io.partynet.spi.PartyNetwork;
import io.partynet.spi.PeerConfig;
import io.partynet.spi.PeerStats;
import io.partynet.wireguard.jna.internal.netlink.NetworkNamespace;
import io.partynet.wireguard.jna.internal.sockets.SystemPartyNetwork;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link NetworkBackend} logic every WireGuard transport shares: bring-up order (interface,
 * keys and port, address, MTU, link up), the mapping of SPI calls to set operations, and
 * idempotent teardown. Subclasses supply how an interface is created, addressed and removed.
 *
 * <p>Thread-safe: every operation holds the instance lock.
 */
public abstract class AbstractWireGuardBackend implements NetworkBackend {
  private WireGuardDevice device;
  private String interfaceName;
  private SystemPartyNetwork network;
  private boolean closed;

  /** Creates the interface (or starts what creates it) and returns its configuration channel. */
  protected abstract WireGuardDevice createInterface(InterfaceConfig config) throws IOException;

  /** Assigns the address, sets the MTU and raises the link. */
  protected abstract void configureLink(InterfaceConfig config) throws IOException;

  /**
   * Removes the interface and releases whatever {@link #createInterface} acquired, also after it
   * failed half-way; must not remove an interface this backend did not create.
   */
  protected abstract void destroyInterface() throws IOException;

  /** The network namespace the interface lives in; empty for the JVM's own. */
  protected abstract Optional<NetworkNamespace> namespace();

  @Override
  public final synchronized int up(InterfaceConfig config) throws IOException {
    Objects.requireNonNull(config, "config");
    if (closed) {
      throw new IllegalStateException(name() + " backend is closed; create a new one");
    }
    if (device != null) {
      throw new IllegalStateException("interface " + interfaceName + " is already up");
    }
    try {
      WireGuardDevice created = createInterface(config);
      created.set(DeviceConfig.builder().privateKey(config.privateKey()).listenPort(config.listenPort())
          .replacePeers(true).build());
      configureLink(config);
      int port = created.get().listenPort();
      device = created;
      interfaceName = config.name();
      network = config.address().isIpv4() ? new SystemPartyNetwork(config.address().address(), namespace())
          : null;
      return port;
    } catch (IOException | RuntimeException e) {
      try {
        destroyInterface();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  @Override
  public final synchronized void addPeer(PeerConfig peer) throws IOException {
    configure(DeviceConfig.builder().peer(settings(peer, false)).build());
  }

  @Override
  public final synchronized void updatePeer(PeerConfig peer) throws IOException {
    configure(DeviceConfig.builder().peer(settings(peer, true)).build());
  }

  @Override
  public final synchronized void removePeer(Key publicKey) throws IOException {
    configure(DeviceConfig.builder().peer(PeerSettings.removal(publicKey)).build());
  }

  @Override
  public final synchronized List<PeerStats> peerStats() throws IOException {
    return state().peers().stream().map(PeerState::toStats).toList();
  }

  /** Applies a full WireGuard set operation (everything the model can express). */
  public final synchronized void configure(DeviceConfig config) throws IOException {
    requireUp().set(config);
  }

  /** Reads the device back with every peer and counter. */
  public final synchronized DeviceState state() throws IOException {
    return requireUp().get();
  }

  /** The interface this backend brought up, if it is up. */
  public final synchronized Optional<String> interfaceName() {
    return Optional.ofNullable(interfaceName);
  }

  /** Operating-system sockets bound to the interface's virtual IP; present while the interface is up. */
  @Override
  public final synchronized Optional<PartyNetwork> partyNetwork() {
    return Optional.ofNullable(network);
  }

  @Override
  public final synchronized boolean isUp() {
    return device != null;
  }

  /** Removes the interface; {@link #up} may create it again (unlike after {@link #close()}). */
  @Override
  public final synchronized void down() throws IOException {
    if (device != null) {
      device = null;
      interfaceName = null;
      if (network != null) {
        network.close();
        network = null;
      }
      destroyInterface();
    }
  }

  @Override
  public final synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    down();
  }

  private WireGuardDevice requireUp() {
    if (device == null) {
      throw new IllegalStateException(name() + " backend has no interface: call up() first");
    }
    return device;
  }

  /** A new peer replaces an old one completely (no preshared key means none); an update keeps what it does not name. */
  private static PeerSettings settings(PeerConfig peer, boolean update) {
    PeerSettings.Builder b = PeerSettings.builder(peer.publicKey()).allowedIps(peer.allowedIps())
        .replaceAllowedIps(true).persistentKeepaliveSeconds(peer.persistentKeepaliveSeconds()).updateOnly(update);
    if (peer.presharedKey() != null) {
      b.presharedKey(peer.presharedKey());
    } else if (!update) {
      b.presharedKey(Key.fromBytes(new byte[Key.LENGTH]));
    }
    if (peer.endpoint() != null) {
      b.endpoint(peer.endpoint());
    }
    return b.build();
  }
}
