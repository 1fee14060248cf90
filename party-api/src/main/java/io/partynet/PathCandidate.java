package io.partynet;

import java.util.Objects;

/**
 * One way to reach a peer that this member tries, in the order of its plan: the peer's LAN or
 * global IPv6 address, its public mapping, or the TURN relay. {@link PeerStatus#candidates()}
 * lists them; {@link PeerStatus#path()} says which one carries the traffic. Immutable and
 * thread-safe.
 *
 * @param path the kind of path (never {@link PathType#NONE})
 * @param endpoint where WireGuard sends on this path; null for the relay (the peer's relayed
 *     address is the TURN server's business) or when the peer has not advertised one yet
 */
public record PathCandidate(PathType path, Endpoint endpoint) {
  /**
   * {@code path} is required and is not NONE.
   *
   * @param path the kind of path
   * @param endpoint where WireGuard sends on this path, or null
   */
  public PathCandidate {
    Objects.requireNonNull(path, "path");
    if (path == PathType.NONE) {
      throw new IllegalArgumentException("a candidate is a path: LAN, DIRECT, IPV6 or RELAY");
    }
  }

  /** {@code "lan 192.168.1.20:51820"}, {@code "relay"}: how status prints it. */
  @Override
  public String toString() {
    String kind = path.name().toLowerCase(java.util.Locale.ROOT);
    return endpoint == null ? kind : kind + " " + endpoint;
  }
}
