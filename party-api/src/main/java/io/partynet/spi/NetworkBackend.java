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

  /** The {@code network.backend} value that selects it ({@code uapi}, {@code netlink}, ...). */
  String name();

  /**
   * Creates and raises the interface with its private key, listen port and address.
   *
   * @return the UDP port WireGuard actually listens on (differs from the requested one when it was 0)
   */
  int up(InterfaceConfig config) throws IOException;

  /** Adds a peer; replaces it when a peer with the same public key exists. */
  void addPeer(PeerConfig peer) throws IOException;

  /** Changes an existing peer's endpoint, allowed IPs or keepalive. */
  void updatePeer(PeerConfig peer) throws IOException;

  void removePeer(Key publicKey) throws IOException;

  /** Per-peer counters and the latest handshake, as WireGuard reports them. */
  List<PeerStats> peerStats() throws IOException;

  boolean isUp();

  /**
   * The datagram API of a backend that runs WireGuard in user space; empty for kernel and TUN
   * backends, whose virtual IPs ordinary sockets reach.
   */
  default Optional<UserspaceNetwork> userspaceNetwork() {
    return Optional.empty();
  }

  /**
   * Removes the interface and its peers but keeps the backend usable: {@link #up} may bring an
   * interface up again. The manager calls this when a party ends on a backend the application
   * passed in (which it never closes). The default calls {@link #close()}, which suits backends that
   * come up again after {@code close()}; a backend whose {@code close()} is final overrides it.
   */
  default void down() throws IOException {
    close();
  }

  /** Removes the interface and stops anything the backend started, for good. Idempotent. */
  @Override
  void close() throws IOException;
}
