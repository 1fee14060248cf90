package io.partynet.wireguard.jna.internal.discovery;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * {@link GroupMemberships} for the multicast hot path: {@code /proc/net/igmp} is read again only
 * when the last reading is {@link #MAX_AGE} old, or after {@link #invalidate()} (the relay changed
 * its own memberships, which the reading must include, since {@link GroupMemberships#joinedByOthers}
 * subtracts them). So a program that joins a group gets relayed multicasts on its interface at most
 * {@link #MAX_AGE} later; one that left is sent to at most that long, which stays on the host all
 * the same (the relay joins before it sends, so TTL 0 drops the packet after the loopback copy).
 *
 * <p>Not thread-safe: {@link LinuxDelivery} calls it under the tap's lock.
 */
final class GroupMembershipCache {
  /** How long one reading of {@code /proc/net/igmp} serves deliveries. */
  static final Duration MAX_AGE = Duration.ofSeconds(1);

  /** Reads the memberships afresh. */
  @FunctionalInterface
  interface Reader {
    GroupMemberships read() throws IOException;
  }

  private final Reader reader;
  private final Clock clock;
  private GroupMemberships last;
  private Instant readAt;

  GroupMembershipCache(Reader reader, Clock clock) {
    this.reader = Objects.requireNonNull(reader, "reader");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The memberships, read at most {@link #MAX_AGE} ago (a clock that went back reads again). */
  GroupMemberships current() throws IOException {
    Instant now = clock.instant();
    if (last == null || now.isBefore(readAt) || !now.isBefore(readAt.plus(MAX_AGE))) {
      last = reader.read();
      readAt = now;
    }
    return last;
  }

  /** The next {@link #current()} reads afresh. */
  void invalidate() {
    last = null;
  }
}
