package io.partynet.core.internal.discovery;

import io.partynet.DiscoveryStats;
import io.partynet.Party;
import io.partynet.PartyConfig;
import io.partynet.PartyDatagramSocket;
import io.partynet.Peer;
import io.partynet.core.internal.connection.OsDatagramSocket;
import io.partynet.spi.UserspaceNetwork;
import java.io.IOException;
import java.util.HashSet;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's one handle on LAN discovery for the current party: {@link #start} when the
 * interface is up, {@link #close} when it goes down. It picks the platform's {@link DiscoveryTap}
 * (the embedded backend's {@link LoopbackDiscoveryTap}, or a {@link DiscoveryTapProvider} for kernel
 * interfaces),
 * opens the relay port on the virtual IP and runs a {@link DiscoveryRelay}. It never fails the
 * party: when discovery cannot run here it says why in the log and reports mode {@code off}.
 *
 * <p>Thread-safe.
 */
public final class PartyDiscovery implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PartyDiscovery.class);
  private final DiscoveryRelay relay;

  private PartyDiscovery(DiscoveryRelay relay) {
    this.relay = relay;
  }

  /**
   * Starts discovery for a member at {@code myVirtualIp}; {@code party} is read for every datagram,
   * so members joining and leaving change the allowed sources at once.
   *
   * @param userspace the embedded backend's network, or empty for a kernel interface
   * @param tunnelInterface the WireGuard interface's name
   */
  public static PartyDiscovery start(PartyConfig config, Optional<UserspaceNetwork> userspace, String tunnelInterface,
      String myVirtualIp, String myPeerId, Supplier<Party> party) {
    DiscoverySettings settings;
    try {
      settings = DiscoverySettings.read(config::setting);
    } catch (IllegalArgumentException e) {
      LOG.warn("LAN discovery is off: {}", e.getMessage());
      return new PartyDiscovery(null);
    }
    if (!settings.enabled() || settings.scope().isEmpty()) {
      LOG.info("LAN discovery is off (discovery.enabled=false or no ports)");
      return new PartyDiscovery(null);
    }
    DiscoveryTap tap = null;
    PartyDatagramSocket socket = null;
    try {
      Optional<DiscoveryTap> found = userspace.isPresent()
          ? Optional.of(new LoopbackDiscoveryTap(userspace.get(), settings.embeddedJoinGroups()))
          : kernelTap(tunnelInterface);
      if (found.isEmpty()) {
        LOG.warn("LAN discovery is off: no way to capture broadcasts on this platform (see docs/lan-discovery.md)");
        return new PartyDiscovery(null);
      }
      tap = found.get();
      socket = userspace.isPresent() ? userspace.get().openDatagramSocket(settings.relayPort())
          : OsDatagramSocket.bind(myVirtualIp, settings.relayPort());
      DiscoveryRelay relay = new DiscoveryRelay(settings, tap, socket, () -> otherMembers(party.get(), myPeerId),
          System::nanoTime);
      relay.start();
      LOG.info("LAN discovery relay on {}:{} ({}): {} broadcast port(s), {} group(s)", myVirtualIp,
          settings.relayPort(), tap.mode(), settings.scope().broadcastPorts().size(), settings.scope().groups().size());
      return new PartyDiscovery(relay);
    } catch (IOException | RuntimeException e) {
      LOG.warn("LAN discovery is off: {}", e.toString());
      if (tap != null) {
        tap.close();
      }
      if (socket != null) {
        socket.close();
      }
      return new PartyDiscovery(null);
    }
  }

  /** The relay's counters, or {@link DiscoveryStats#off()}. */
  public DiscoveryStats stats() {
    return relay == null ? DiscoveryStats.off() : relay.stats();
  }

  @Override
  public void close() {
    if (relay != null) {
      relay.close();
    }
  }

  static Set<String> otherMembers(Party party, String myPeerId) {
    Set<String> ips = new HashSet<>();
    if (party != null) {
      for (Peer peer : party.getPeerList()) {
        if (!peer.id().equals(myPeerId) && peer.virtualIp() != null) {
          ips.add(peer.virtualIp());
        }
      }
    }
    return ips;
  }

  private static Optional<DiscoveryTap> kernelTap(String tunnelInterface) throws IOException {
    try {
      for (DiscoveryTapProvider provider : ServiceLoader.load(DiscoveryTapProvider.class)) {
        Optional<DiscoveryTap> tap = provider.open(tunnelInterface);
        if (tap.isPresent()) {
          return tap;
        }
      }
    } catch (java.util.ServiceConfigurationError | LinkageError e) {
      LOG.warn("a LAN discovery tap could not be loaded: {}", e.toString());
    }
    return Optional.empty();
  }
}
