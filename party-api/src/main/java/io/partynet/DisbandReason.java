package io.partynet;

/**
 * Why a party ended for every member. Each reason has a stable wire value (what control planes
 * send and store); {@link #toString()} is that value.
 *
 * <p>Immutable and thread-safe.
 */
public enum DisbandReason {
  /** The host left, which ends the party. */
  HOST_LEFT("host-left"),
  /** The host disbanded the party. */
  DISBANDED("disbanded"),
  /** The last member left. */
  EMPTY("empty"),
  /** The host stopped sending heartbeats and was removed. */
  HOST_STALE("host-stale"),
  /** The party no longer exists on the control plane, or it gave a reason this version does not know. */
  GONE("gone");

  private final String wireValue;

  DisbandReason(String wireValue) {
    this.wireValue = wireValue;
  }

  /**
   * The value control planes send for this reason.
   *
   * @return the stable wire value, such as {@code "host-left"}
   */
  public String wireValue() {
    return wireValue;
  }

  /**
   * The reason for a wire value; anything unknown (from a newer peer) is {@link #GONE}.
   *
   * @param value a wire value as a control plane sent it; null counts as unknown
   * @return the matching reason, or {@link #GONE} when none matches
   */
  public static DisbandReason fromWire(String value) {
    for (DisbandReason reason : values()) {
      if (reason.wireValue.equals(value)) {
        return reason;
      }
    }
    return GONE;
  }

  @Override
  public String toString() {
    return wireValue;
  }
}
