package io.partynet.spi;

import io.partynet.Key;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The data plane: one WireGuard interface and its peers. Implementations configure the kernel
 * (netlink), Windows (wireguard-nt), a userspace daemon (uapi), or run WireGuard inside the JVM
 * (embedded). Every call is bounded in time and throws {@link IOException} when the platform
 * refuses; a missing capability is reported as {@link io.partynet.BackendUnavailableException}.
 *
 * <p>Thread-safe.
 */
public interface NetworkBackend extends AutoCloseable {

  /**
   * The {@code network.backend} value that selects this backend.
   *
   * @return {@code uapi}, {@code netlink}, ...
   */
  String name();

  /**
   * Creates and raises the interface with its private key, listen port and address.
   *
   * @param config the interface's name, key, port, address and MTU
   * @return the UDP port WireGuard actually listens on (differs from the requested one when it was 0)
   * @throws IOException when the platform refuses
   */
  int up(InterfaceConfig config) throws IOException;

  /**
   * Adds a peer; replaces it when a peer with the same public key exists.
   *
   * @param peer the peer's key, endpoint, allowed IPs and keepalive
   * @throws IOException when the platform refuses
   */
  void addPeer(PeerConfig peer) throws IOException;

  /**
   * Changes an existing peer's endpoint, allowed IPs or keepalive.
   *
   * @param peer the peer's new configuration, found by its public key
   * @throws IOException when the platform refuses
   */
  void updatePeer(PeerConfig peer) throws IOException;

  /**
   * Removes a peer; nothing happens when there is none with this key.
   *
   * @param publicKey the peer's public key
   * @throws IOException when the platform refuses
   */
  void removePeer(Key publicKey) throws IOException;

  /**
   * Per-peer counters and the latest handshake, as WireGuard reports them.
   *
   * @return one entry per configured peer
   * @throws IOException when the platform refuses
   */
  List<PeerStats> peerStats() throws IOException;

  /**
   * Whether the interface is up.
   *
   * @return true between {@link #up} and {@link #close()}
   */
  boolean isUp();

  /**
   * The one local address WireGuard's UDP socket is bound to, when the backend binds one (the
   * embedded backend's {@code embedded.bind-address}); empty when it listens on every address, as
   * kernel WireGuard and wireguard-go do. Only addresses WireGuard listens on are offered to the
   * other members as host candidates: a candidate nobody listens on costs each of them a wasted
   * connection attempt.
   *
   * @return the bound address, or empty for all of the host's addresses
   */
  default Optional<java.net.InetAddress> listenAddress() {
    return Optional.empty();
  }

  /**
   * The datagram API of a backend that runs WireGuard in user space; empty for kernel and TUN
   * backends, whose virtual IPs ordinary sockets reach.
   *
   * @return the user-space network, or empty
   */
  default Optional<UserspaceNetwork> userspaceNetwork() {
    return Optional.empty();
  }

  /**
   * The backend-neutral application network (expose, forward, TCP and UDP sockets on the virtual
   * IP), when this backend offers it.
   *
   * @return the party network; empty by default
   */
  default Optional<PartyNetwork> partyNetwork() {
    return Optional.empty();
  }

  /**
   * Removes the interface and its peers but keeps the backend usable: {@link #up} may bring an
   * interface up again. The manager calls this when a party ends on a backend the application
   * passed in (which it never closes). The default calls {@link #close()}, which suits backends that
   * come up again after {@code close()}; a backend whose {@code close()} is final overrides it.
   *
   * @throws IOException when the platform refuses to remove the interface
   */
  default void down() throws IOException {
    close();
  }

  /**
   * Removes the interface and stops anything the backend started, for good. Idempotent.
   *
   * @throws IOException when the platform refuses to remove the interface
   */
  @Override
  void close() throws IOException;
}
