package io.partynet.spi;

import java.util.Map;
import java.util.Objects;

/**
 * A small signalling message between two members of one party, carried by the control plane
 * (NAT traversal uses it for endpoint candidates and "punch now").
 *
 * <p>Immutable and thread-safe.
 *
 * @param partyId the party both members belong to
 * @param fromPeerId sender; the control plane checks it is the authenticated caller
 * @param toPeerId recipient
 * @param type what the message is, 1..32 characters of {@code [a-z0-9-]}
 * @param data at most 16 entries, keys up to 64 and values up to 512 characters
 */
public record Signal(String partyId, String fromPeerId, String toPeerId, String type, Map<String, String> data) {
  /** Most entries a signal carries. */
  public static final int MAX_ENTRIES = 16;
  /** Longest entry key, in characters. */
  public static final int MAX_KEY_LENGTH = 64;
  /** Longest entry value, in characters. */
  public static final int MAX_VALUE_LENGTH = 512;

  /**
   * Checks the parts and copies the data.
   *
   * @param partyId the party both members belong to
   * @param fromPeerId sender; the control plane checks it is the authenticated caller
   * @param toPeerId recipient
   * @param type what the message is, 1..32 characters of {@code [a-z0-9-]}
   * @param data at most 16 entries, keys up to 64 and values up to 512 characters
   * @throws IllegalArgumentException when the type or the data breaks its limits
   */
  public Signal {
    Objects.requireNonNull(partyId, "partyId");
    Objects.requireNonNull(fromPeerId, "fromPeerId");
    Objects.requireNonNull(toPeerId, "toPeerId");
    if (type == null || !type.matches("[a-z0-9-]{1,32}")) {
      throw new IllegalArgumentException("signal type must be 1..32 characters of [a-z0-9-]: " + type);
    }
    data = Map.copyOf(data == null ? Map.of() : data);
    if (data.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException("a signal carries at most " + MAX_ENTRIES + " entries");
    }
    for (Map.Entry<String, String> e : data.entrySet()) {
      if (e.getKey().length() > MAX_KEY_LENGTH || e.getValue().length() > MAX_VALUE_LENGTH) {
        throw new IllegalArgumentException("signal entry too long: " + e.getKey());
      }
    }
  }
}
