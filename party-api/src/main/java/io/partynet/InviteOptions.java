package io.partynet;

import java.time.Duration;
import java.util.Optional;

/**
 * How long and how often a new invite code admits members (see
 * {@link PartyManager#createInvite(InviteOptions)}). Immutable and thread-safe; build one with
 * {@link #builder()}: {@code InviteOptions.builder().ttl(Duration.ofHours(1)).maxUses(3).build()}.
 *
 * @param ttl how long the code admits members after it is issued, or null for no time limit
 *     (at most {@link #MAX_TTL})
 * @param maxUses how many members it admits, 0 for no limit (at most {@link #MAX_USES})
 */
public record InviteOptions(Duration ttl, int maxUses) {
  /** The longest lifetime of an invite code. */
  public static final Duration MAX_TTL = Duration.ofDays(30);
  /** The most members one invite code may admit. */
  public static final int MAX_USES = 10_000;

  /**
   * Checks the limits.
   *
   * @param ttl how long the code admits members, or null for no time limit
   * @param maxUses how many members it admits, 0 for no limit
   * @throws IllegalArgumentException when the ttl is not positive or above {@link #MAX_TTL}, or
   *     maxUses is outside 0..{@link #MAX_USES}
   */
  public InviteOptions {
    if (ttl != null && (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0)) {
      throw new IllegalArgumentException("an invite's ttl must be positive and at most " + MAX_TTL.toDays()
          + " days: " + ttl);
    }
    if (maxUses < 0 || maxUses > MAX_USES) {
      throw new IllegalArgumentException("an invite's maxUses must be 0 (no limit).." + MAX_USES + ": " + maxUses);
    }
  }

  /**
   * The time limit, if any.
   *
   * @return the ttl, or empty
   */
  public Optional<Duration> timeLimit() {
    return Optional.ofNullable(ttl);
  }

  /**
   * A builder with no time limit and no use limit.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link InviteOptions}. Not thread-safe. */
  public static final class Builder {
    private Duration ttl;
    private int maxUses;

    private Builder() {}

    /**
     * Sets how long the code admits members after it is issued.
     *
     * @param v the lifetime, at most {@link #MAX_TTL}
     * @return this builder
     */
    public Builder ttl(Duration v) {
      ttl = v;
      return this;
    }

    /**
     * Sets how many members the code admits.
     *
     * @param v the number of uses, 0 for no limit
     * @return this builder
     */
    public Builder maxUses(int v) {
      maxUses = v;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     * @throws IllegalArgumentException when a limit is out of range
     */
    public InviteOptions build() {
      return new InviteOptions(ttl, maxUses);
    }
  }
}
