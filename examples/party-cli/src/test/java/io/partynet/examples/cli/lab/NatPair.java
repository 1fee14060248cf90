package io.partynet.examples.cli.lab;

import io.partynet.ConnectionType;
import io.partynet.testing.lab.NatKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One pair of home networks of the matrix, and the path the issue requires for it. Immutable and
 * thread-safe.
 *
 * @param host the NAT of the member that creates the party
 * @param guest the NAT of the member that joins it
 */
public record NatPair(NatKind host, NatKind guest) {
  /** Every unordered pair of the lab's four NAT kinds, same-kind pairs included (10). */
  public static List<NatPair> all() {
    List<NatPair> pairs = new ArrayList<>();
    NatKind[] kinds = NatKind.values();
    for (int i = 0; i < kinds.length; i++) {
      for (int j = i; j < kinds.length; j++) {
        pairs.add(new NatPair(kinds[i], kinds[j]));
      }
    }
    return List.copyOf(pairs);
  }

  /**
   * The path both members must report, or empty when any working path will do: open with anything,
   * full cone with anything but symmetric, and two port-restricted cones are direct; symmetric with
   * symmetric or with port-restricted can only be relayed (issue 7, lab.md).
   */
  public Optional<ConnectionType> requiredPath() {
    if (either(NatKind.OPEN) || (either(NatKind.FULL_CONE) && !either(NatKind.SYMMETRIC))
        || both(NatKind.PORT_RESTRICTED_CONE)) {
      return Optional.of(ConnectionType.DIRECT);
    }
    if (either(NatKind.SYMMETRIC) && (both(NatKind.SYMMETRIC) || either(NatKind.PORT_RESTRICTED_CONE))) {
      return Optional.of(ConnectionType.RELAY);
    }
    return Optional.empty();
  }

  private boolean either(NatKind kind) {
    return host == kind || guest == kind;
  }

  private boolean both(NatKind kind) {
    return host == kind && guest == kind;
  }

  @Override
  public String toString() {
    return label(host) + " / " + label(guest);
  }

  static String label(NatKind kind) {
    return switch (kind) {
      case OPEN -> "open";
      case FULL_CONE -> "full cone";
      case PORT_RESTRICTED_CONE -> "port-restricted";
      case SYMMETRIC -> "symmetric";
    };
  }
}
