package io.partynet.core.internal.connection;

import io.partynet.ConnectionType;

/** One way to reach a peer, in the order the strategy tries them. */
public enum PathKind {
  /** A peer's LAN address: both members sit behind one router (which need not hairpin). */
  LAN(ConnectionType.DIRECT),
  /** A peer's global IPv6 address: no NAT in the way. */
  IPV6(ConnectionType.DIRECT),
  /** Configure each other's public endpoint; the matrix guarantees WireGuard's handshake gets through. */
  DIRECT(ConnectionType.DIRECT),
  /** Outside the matrix: both sides are told "punch now" through the control plane and send at once. */
  PUNCH(ConnectionType.DIRECT),
  /** Through a TURN allocation, via a loopback forwarder that WireGuard uses as the peer's endpoint. */
  RELAY(ConnectionType.RELAY);

  private final ConnectionType reported;

  PathKind(ConnectionType reported) {
    this.reported = reported;
  }

  /** What {@code status()} reports while this path carries the traffic. */
  public ConnectionType reported() {
    return reported;
  }
}
