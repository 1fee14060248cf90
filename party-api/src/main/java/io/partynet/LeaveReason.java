package io.partynet;

/**
 * Why a member is no longer in a party while the party goes on. Each reason has a stable wire
 * value (what control planes send and store); {@link #toString()} is that value.
 *
 * <p>Immutable and thread-safe.
 */
public enum LeaveReason {
  /** The member left on its own. */
  LEFT("left"),
  /** The host removed the member. */
  KICKED("kicked"),
  /** The control plane removed the member after it stopped sending heartbeats; it may join again. */
  STALE("stale"),
  /** The member is missing from a fresh snapshot of the party, or the control plane gave a reason this version does not know. */
  REMOVED("removed");

  private final String wireValue;

  LeaveReason(String wireValue) {
    this.wireValue = wireValue;
  }

  /**
   * The value control planes send for this reason.
   *
   * @return the stable wire value, such as {@code "kicked"}
   */
  public String wireValue() {
    return wireValue;
  }

  /**
   * The reason for a wire value; anything unknown (from a newer peer) is {@link #REMOVED}.
   *
   * @param value a wire value as a control plane sent it; null counts as unknown
   * @return the matching reason, or {@link #REMOVED} when none matches
   */
  public static LeaveReason fromWire(String value) {
    for (LeaveReason reason : values()) {
      if (reason.wireValue.equals(value)) {
        return reason;
      }
    }
    return REMOVED;
  }

  @Override
  public String toString() {
    return wireValue;
  }
}
