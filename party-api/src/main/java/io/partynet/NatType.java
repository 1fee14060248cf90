package io.partynet;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * How a peer's NAT maps and filters UDP, as classified by STUN behaviour discovery (RFC 5780).
 *
 * <p>{@link #directlyReachableFrom()} is the seed's compatibility matrix: the set of NAT types a
 * peer of this type is <em>guaranteed</em> to reach directly. Outside it the connection manager
 * may still try a coordinated punch before it falls back to a relay. {@link #UNKNOWN} reaches
 * nobody directly: it always needs the relay.
 *
 * <p>Immutable and thread-safe.
 */
public enum NatType {
  /** A public address with no NAT and no inbound filtering. */
  OPEN,
  /** Endpoint-independent mapping and filtering. */
  FULL_CONE,
  /** Endpoint-independent mapping, address-dependent filtering. */
  RESTRICTED_CONE,
  /** Endpoint-independent mapping, address-and-port-dependent filtering. */
  PORT_RESTRICTED_CONE,
  /** A new mapping per destination: only a peer with no filtering at all can reach it. */
  SYMMETRIC,
  /** Detection failed or was not run: the peer is reachable only through a relay. */
  UNKNOWN;

  /**
   * The NAT types this one can connect to directly, exactly as the seed's matrix says.
   *
   * @return an unmodifiable set, empty for {@link #UNKNOWN}
   */
  public Set<NatType> directlyReachableFrom() {
    return switch (this) {
      case OPEN -> unmodifiable(OPEN, FULL_CONE, RESTRICTED_CONE, PORT_RESTRICTED_CONE, SYMMETRIC);
      case FULL_CONE -> unmodifiable(OPEN, FULL_CONE, RESTRICTED_CONE, PORT_RESTRICTED_CONE);
      case RESTRICTED_CONE -> unmodifiable(OPEN, FULL_CONE, RESTRICTED_CONE);
      case PORT_RESTRICTED_CONE -> unmodifiable(OPEN, FULL_CONE);
      case SYMMETRIC -> unmodifiable(OPEN);
      case UNKNOWN -> Collections.emptySet();
    };
  }

  /**
   * Whether the seed's matrix guarantees a direct path from this NAT type to another.
   *
   * @param other the other peer's NAT type
   * @return true when {@code other} is in {@link #directlyReachableFrom()}
   */
  public boolean canConnectDirectly(NatType other) {
    return directlyReachableFrom().contains(other);
  }

  /**
   * Whether nothing but a relay can carry this peer's traffic.
   *
   * @return true for {@link #UNKNOWN}
   */
  public boolean requiresRelay() {
    return this == UNKNOWN;
  }

  private static Set<NatType> unmodifiable(NatType first, NatType... rest) {
    return Collections.unmodifiableSet(EnumSet.of(first, rest));
  }
}
