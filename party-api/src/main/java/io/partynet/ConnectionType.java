package io.partynet;

/** How traffic to one peer travels. Immutable and thread-safe. */
public enum ConnectionType {
  /** WireGuard packets go straight between the two peers' public endpoints. */
  DIRECT,
  /** Packets go through a TURN relay. */
  RELAY,
  /** No working path (yet): connecting, reconnecting, or the network is off. */
  NONE
}
