package io.partynet;

/**
 * Which of a peer's candidates carries the traffic to it: finer than {@link ConnectionType}, whose
 * {@link ConnectionType#DIRECT} covers the first three. Immutable and thread-safe.
 */
public enum PathType {
  /** The peer's LAN address: both sit behind one router. */
  LAN,
  /** The peer's public IPv4 mapping (STUN), possibly after a coordinated hole punch. */
  DIRECT,
  /** The peer's global IPv6 address, no NAT in the way. */
  IPV6,
  /** Through the TURN relay. */
  RELAY,
  /** No working path (yet). */
  NONE;

  /**
   * The path a connection type implies when nothing finer is known.
   *
   * @param type the connection type
   * @return DIRECT, RELAY or NONE
   */
  public static PathType of(ConnectionType type) {
    return switch (type) {
      case DIRECT -> DIRECT;
      case RELAY -> RELAY;
      case NONE -> NONE;
    };
  }
}
