package io.partynet.core.internal.connection;

import io.partynet.ConnectionType;
import io.partynet.PathType;

/** One way to reach a peer, in the order the strategy tries them. */
public enum PathKind {
  /** A peer's LAN address: both members sit behind one router (which need not hairpin). */
  LAN(ConnectionType.DIRECT, PathType.LAN),
  /** A peer's global IPv6 address: no NAT in the way. */
  IPV6(ConnectionType.DIRECT, PathType.IPV6),
  /** Configure each other's public endpoint; the matrix guarantees WireGuard's handshake gets through. */
  DIRECT(ConnectionType.DIRECT, PathType.DIRECT),
  /** Outside the matrix: both sides are told "punch now" through the control plane and send at once. */
  PUNCH(ConnectionType.DIRECT, PathType.DIRECT),
  /** Through a TURN allocation, via a loopback forwarder that WireGuard uses as the peer's endpoint. */
  RELAY(ConnectionType.RELAY, PathType.RELAY);

  private final ConnectionType reported;
  private final PathType type;

  PathKind(ConnectionType reported, PathType type) {
    this.reported = reported;
    this.type = type;
  }

  /** Which of the peer's candidates this path uses, as {@code status()} names it. */
  public PathType type() {
    return type;
  }

  /** What {@code status()} reports while this path carries the traffic. */
  public ConnectionType reported() {
    return reported;
  }
}
