package io.partynet.core.internal.nat.discovery;

import io.partynet.NatType;

/**
 * Maps measured (mapping, filtering) behaviour to the seed's {@link NatType}. Stateless and
 * thread-safe.
 *
 * <table>
 *   <caption>classification</caption>
 *   <tr><th>mapping</th><th>filtering</th><th>NatType</th></tr>
 *   <tr><td>no NAT</td><td>endpoint-independent</td><td>OPEN</td></tr>
 *   <tr><td>no NAT or endpoint-independent</td><td>address-dependent</td><td>RESTRICTED_CONE</td></tr>
 *   <tr><td>no NAT or endpoint-independent</td><td>address-and-port-dependent</td><td>PORT_RESTRICTED_CONE</td></tr>
 *   <tr><td>endpoint-independent</td><td>endpoint-independent</td><td>FULL_CONE</td></tr>
 *   <tr><td>address(-and-port)-dependent</td><td>any</td><td>SYMMETRIC</td></tr>
 *   <tr><td>unknown, or filtering unknown</td><td></td><td>UNKNOWN</td></tr>
 * </table>
 *
 * <p>A public address behind a stateful firewall keeps its ports (it maps like a cone) and
 * filters like one, so it is classified by its filtering: what matters to a peer is who can
 * reach it, and that is exactly what the cone classes say.
 */
public final class NatClassifier {

  private NatClassifier() {}

  public static NatType classify(MappingBehavior mapping, FilteringBehavior filtering) {
    if (mapping == MappingBehavior.ADDRESS_DEPENDENT || mapping == MappingBehavior.ADDRESS_AND_PORT_DEPENDENT) {
      return NatType.SYMMETRIC;
    }
    if (mapping == MappingBehavior.UNKNOWN) {
      return NatType.UNKNOWN;
    }
    return switch (filtering) {
      case ENDPOINT_INDEPENDENT -> mapping == MappingBehavior.NO_NAT ? NatType.OPEN : NatType.FULL_CONE;
      case ADDRESS_DEPENDENT -> NatType.RESTRICTED_CONE;
      case ADDRESS_AND_PORT_DEPENDENT -> NatType.PORT_RESTRICTED_CONE;
      case UNKNOWN -> NatType.UNKNOWN;
    };
  }
}
