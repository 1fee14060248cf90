package io.partynet.wireguard.jna.internal.nt;

import io.partynet.Key;
import io.partynet.spi.InterfaceConfig;
import io.partynet.spi.NetworkBackend;
import io.partynet.spi.PartyNetwork;
import io.partynet.spi.PeerConfig;
import io.partynet.spi.PeerStats;
import io.partynet.wireguard.jna.internal.sockets.SystemPartyNetwork;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link NetworkBackend} on Windows through wireguard-nt: {@link #up} creates an adapter named after
 * the interface, sets the private key and listen port, gives it its address and MTU through the IP
 * Helper API and raises it; peers are changed with single-peer configuration buffers; {@link #close()}
 * removes the adapter (and with it its address and routes). Needs Administrator rights.
 *
 * <p>wireguard.dll calls are synchronous device I/O controls that the driver answers without waiting
 * on the network, so they carry no timeout of their own.
 *
 * <p>Thread-safe: every operation is serialised on the backend.
 */
public final class WireGuardNtBackend implements NetworkBackend {
  public static final String NAME = "wireguard-nt";
  /** Shown by Windows as the adapter's description. */
  static final String TUNNEL_TYPE = "PartyNet";

  private static final Logger LOG = LoggerFactory.getLogger(WireGuardNtBackend.class);
  private static final Key NO_PRESHARED_KEY = Key.fromBytes(new byte[Key.LENGTH]);

  private final WireGuardNt wireGuard;
  private final InterfaceAddresses addresses;
  private WireGuardNtAdapter adapter;
  private SystemPartyNetwork network;

  public WireGuardNtBackend(WireGuardNt wireGuard, InterfaceAddresses addresses) {
    this.wireGuard = Objects.requireNonNull(wireGuard, "wireGuard");
    this.addresses = Objects.requireNonNull(addresses, "addresses");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public synchronized int up(InterfaceConfig config) throws IOException {
    if (adapter != null) {
      throw new IllegalStateException("interface " + adapter.name() + " is already up; close() it first");
    }
    WireGuardNtAdapter created = wireGuard.createAdapter(config.name(), TUNNEL_TYPE, adapterGuid(config.name()));
    try {
      created.setLogging(WireGuardNtLibrary.ADAPTER_LOG_ON);
      created.setConfiguration(NtInterface.builder()
          .privateKey(config.privateKey())
          .listenPort(config.listenPort())
          .replacePeers(true)
          .build());
      long luid = created.luid();
      addresses.addAddress(luid, config.address());
      addresses.setMtu(luid, !config.address().isIpv4(), config.mtu());
      created.setUp(true);
      int port = created.configuration().listenPort().orElse(config.listenPort());
      adapter = created;
      network = config.address().isIpv4() ? new SystemPartyNetwork(config.address().address(), Optional.empty())
          : null;
      LOG.info("wireguard-nt adapter {} up with address {}, listening on UDP {}", config.name(), config.address(), port);
      return port;
    } catch (IOException | RuntimeException e) {
      created.close();
      throw e;
    }
  }

  @Override
  public synchronized void addPeer(PeerConfig peer) throws IOException {
    requireUp().setConfiguration(NtInterface.peersOnly(List.of(toNtPeer(peer, false))));
  }

  @Override
  public synchronized void updatePeer(PeerConfig peer) throws IOException {
    requireUp().setConfiguration(NtInterface.peersOnly(List.of(toNtPeer(peer, true))));
  }

  @Override
  public synchronized void removePeer(Key publicKey) throws IOException {
    requireUp().setConfiguration(NtInterface.peersOnly(List.of(NtPeer.builder(publicKey).remove(true).build())));
  }

  @Override
  public synchronized List<PeerStats> peerStats() throws IOException {
    return requireUp().configuration().peers().stream()
        .map(peer -> new PeerStats(peer.publicKey(), peer.endpoint().orElse(null),
            peer.lastHandshake().orElse(null), peer.rxBytes(), peer.txBytes()))
        .toList();
  }

  /** Operating-system sockets bound to the adapter's virtual IP; present while the adapter is up. */
  @Override
  public synchronized Optional<PartyNetwork> partyNetwork() {
    return Optional.ofNullable(network);
  }

  @Override
  public synchronized boolean isUp() {
    return adapter != null;
  }

  @Override
  public synchronized void close() {
    if (network != null) {
      network.close();
      network = null;
    }
    if (adapter != null) {
      adapter.close();
      LOG.info("wireguard-nt adapter {} removed", adapter.name());
      adapter = null;
    }
  }

  /**
   * The peer as one buffer entry that leaves it exactly as {@code peer} says: allowed IPs replaced,
   * keepalive set, a missing preshared key cleared; an unknown endpoint leaves the learnt one alone.
   */
  static NtPeer toNtPeer(PeerConfig peer, boolean updateOnly) {
    NtPeer.Builder builder = NtPeer.builder(peer.publicKey())
        .presharedKey(peer.presharedKey() == null ? NO_PRESHARED_KEY : peer.presharedKey())
        .persistentKeepalive(peer.persistentKeepaliveSeconds())
        .endpoint(peer.endpoint())
        .replaceAllowedIps(true)
        .updateOnly(updateOnly);
    peer.allowedIps().forEach(prefix -> builder.addAllowedIp(NtAllowedIp.of(prefix)));
    return builder.build();
  }

  /** The same GUID for the same interface name, so Windows keeps one network profile for it. */
  static UUID adapterGuid(String interfaceName) {
    return UUID.nameUUIDFromBytes(("io.partynet.wireguard-nt/" + interfaceName).getBytes(StandardCharsets.UTF_8));
  }

  private WireGuardNtAdapter requireUp() {
    if (adapter == null) {
      throw new IllegalStateException("the wireguard-nt interface is not up; call up() first");
    }
    return adapter;
  }
}
