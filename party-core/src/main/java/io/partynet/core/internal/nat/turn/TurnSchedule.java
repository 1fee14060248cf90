package io.partynet.core.internal.nat.turn;

import java.time.Duration;

/**
 * When to refresh what, before the server forgets it (RFC 8656: allocations live LIFETIME seconds,
 * permissions 300 s, channel bindings 600 s). Stateless and thread-safe.
 */
public final class TurnSchedule {
  /** A permission lasts 300 s; refreshing after 240 s leaves a minute for retransmissions. */
  public static final Duration PERMISSION_REFRESH = Duration.ofSeconds(240);
  /** A channel binding lasts 600 s; refreshing after 540 s leaves a minute. */
  public static final Duration CHANNEL_REFRESH = Duration.ofSeconds(540);

  private TurnSchedule() {}

  /** One minute before expiry, or at half the lifetime when that is shorter than two minutes. */
  public static Duration allocationRefresh(Duration lifetime) {
    if (lifetime.compareTo(Duration.ofMinutes(2)) < 0) {
      return lifetime.dividedBy(2);
    }
    return lifetime.minusMinutes(1);
  }
}
