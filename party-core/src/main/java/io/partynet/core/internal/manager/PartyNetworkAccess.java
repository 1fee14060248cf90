package io.partynet.core.internal.manager;

import io.partynet.BackendUnavailableException;
import io.partynet.DiscoveryStats;
import io.partynet.Party;
import io.partynet.PartyException;
import io.partynet.Peer;
import io.partynet.spi.PartyNetwork;
import io.partynet.spi.UserspaceNetwork;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the application reaches through the current party's network: a latency probe to a member,
 * the userspace sockets and forwards of a backend without a system interface, the party network
 * of exposed ports, and the LAN discovery counters. Each says what to do instead when the network
 * is off, the backend cannot offer it, or the party's network is not up yet.
 *
 * <p>{@link #ping} runs on the manager's worker thread; the rest may run on any thread (they read
 * volatile state only).
 */
final class PartyNetworkAccess {
  private final Membership membership;
  private final DataPlane dataPlane;
  private final String myPeerId;

  PartyNetworkAccess(Membership membership, DataPlane dataPlane, String myPeerId) {
    this.membership = membership;
    this.dataPlane = dataPlane;
    this.myPeerId = myPeerId;
  }

  /** One probe through the tunnel to member {@code peerId}. */
  CompletableFuture<Double> ping(String peerId, Duration timeout) {
    Party current = membership.requireParty();
    Peer peer = current.peers().get(peerId);
    if (peer == null || peer.id().equals(myPeerId) || peer.virtualIp() == null) {
      throw PartyException.of(PartyException.Reason.PEER_NOT_FOUND,
          "No other member with that id in party " + current.id() + ": check status() for member ids");
    }
    ConnectionLayer links = membership.links();
    if (links == null) {
      throw PartyException.of(PartyException.Reason.BACKEND_UNAVAILABLE,
          "The party's network is not up yet (resuming); try again in a moment");
    }
    return links.ping(peer, timeout);
  }

  /** Empty outside a party; "off" while the party has no connection layer. */
  Optional<DiscoveryStats> discoveryStats() {
    if (membership.party() == null) {
      return Optional.empty();
    }
    ConnectionLayer layer = membership.links();
    return Optional.of(layer == null ? DiscoveryStats.off() : layer.discoveryStats());
  }

  /** The virtual IPs of the current party's members named {@code name}, ignoring case (the SOCKS5 proxy's names). */
  List<String> virtualIpsNamed(String name) {
    Party current = membership.party();
    if (current == null) {
      return List.of();
    }
    return current.getPeerList().stream()
        .filter(peer -> peer.virtualIp() != null && peer.name().equalsIgnoreCase(name))
        .map(Peer::virtualIp).toList();
  }

  PartyNetwork partyNetwork() {
    membership.requireParty();
    if (dataPlane.isOff()) {
      throw new BackendUnavailableException("The network is off (network.backend=off): this member has "
          + "membership only. Pick a network backend to expose or forward ports.");
    }
    return dataPlane.partyNetwork().orElseThrow(() -> new BackendUnavailableException("The " + dataPlane.name()
        + " backend does not implement the party network yet: bind ordinary sockets to your virtual IP."));
  }

  UserspaceNetwork userspace() {
    Party current = membership.requireParty();
    if (dataPlane.isOff()) {
      throw new BackendUnavailableException("The network is off (network.backend=off): this member has "
          + "membership only. Pick a network backend to send datagrams.");
    }
    return dataPlane.userspace().orElseThrow(() -> new BackendUnavailableException("The " + dataPlane.name()
        + " backend gives the operating system a real interface: use an ordinary java.net.DatagramSocket "
        + "bound to your virtual IP " + current.peers().get(myPeerId).virtualIp() + " instead."));
  }
}
