package io.partynet.core.internal.connection;

import io.partynet.NatType;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides, for one peer pair, which paths to try and in what order (design.md section 5): direct
 * when the seed's matrix guarantees it in either direction (a WireGuard handshake needs only one
 * side to get through first: the answer then follows the opened mapping); otherwise a coordinated
 * punch when both sides have a public mapping to aim at; the relay last, when one is configured.
 * Both members compute the same plan, because the rule is symmetric.
 *
 * <p>Stateless and thread-safe.
 */
public final class ConnectionStrategy {
  private ConnectionStrategy() {}

  /**
   * The paths to try, best first; empty when nothing can work (no endpoint known on either side
   * and no relay).
   *
   * @param mine the local member's NAT type
   * @param theirs the peer's NAT type
   * @param myEndpointKnown the local member advertised a public endpoint
   * @param peerEndpointKnown the peer advertised one (something to aim at)
   * @param relayAvailable a TURN relay is configured
   */
  public static List<PathKind> plan(NatType mine, NatType theirs, boolean myEndpointKnown, boolean peerEndpointKnown,
      boolean relayAvailable) {
    List<PathKind> plan = new ArrayList<>(3);
    boolean matrix = mine.canConnectDirectly(theirs) || theirs.canConnectDirectly(mine);
    if (myEndpointKnown && peerEndpointKnown && matrix) {
      plan.add(PathKind.DIRECT);
    } else if (peerEndpointKnown && punchCanWork(mine, theirs)) {
      // Without our own endpoint the peer cannot aim back, but our handshake may still get in.
      plan.add(PathKind.PUNCH);
    }
    if (relayAvailable) {
      plan.add(PathKind.RELAY);
    }
    return List.copyOf(plan);
  }

  /**
   * An UNKNOWN side (no STUN server, or detection failed) may well be reachable, on a LAN or on
   * loopback: a punch costs one handshake, so it is tried before the relay.
   * A symmetric NAT sends to the peer from a fresh port, not the one it advertised. That packet
   * still gets in where the peer filters by address at most (full or restricted cone), and
   * WireGuard then roams to the real port; a port-restricted or symmetric peer drops it (lab.md:
   * port-restricted with symmetric never connects). Every other pair punches with both sides'
   * advertised mappings.
   */
  static boolean punchCanWork(NatType mine, NatType theirs) {
    if (mine == NatType.SYMMETRIC) {
      return filtersByAddressAtMost(theirs);
    }
    if (theirs == NatType.SYMMETRIC) {
      return filtersByAddressAtMost(mine);
    }
    return true;
  }

  private static boolean filtersByAddressAtMost(NatType type) {
    return type == NatType.OPEN || type == NatType.FULL_CONE || type == NatType.RESTRICTED_CONE;
  }
}
