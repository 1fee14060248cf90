package io.partynet.wireguard.jna.internal.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.partynet.core.internal.discovery.Ipv4;
import io.partynet.testing.ManualClock;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The multicast hot path reads /proc/net/igmp once per {@link GroupMembershipCache#MAX_AGE}, not per delivery. */
class GroupMembershipCacheTest {
  private static final int GROUP = Ipv4.parse("224.0.2.60");
  /** 224.0.2.60 joined once on interface 2, as a little-endian host lists it. */
  private static final String JOINED_ON_2 = "2\teth0      :     1      V3\n\t\t\t\t3C0200E0     1 0:00000000\t\t0\n";
  private static final String JOINED_NOWHERE = "2\teth0      :     0      V3\n";

  private final ManualClock clock = ManualClock.startingAt("2026-01-01T00:00:00Z");
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicReference<String> igmp = new AtomicReference<>(JOINED_NOWHERE);
  private final GroupMembershipCache cache = new GroupMembershipCache(() -> {
    reads.incrementAndGet();
    return GroupMemberships.parse(igmp.get(), true);
  }, clock);

  @Test
  void oneReadingServesEveryDeliveryUntilItIsMaxAgeOld() throws IOException {
    GroupMemberships first = cache.current();
    igmp.set(JOINED_ON_2);
    clock.advance(GroupMembershipCache.MAX_AGE.minusMillis(1));
    assertSame(first, cache.current());
    assertSame(first, cache.current());
    assertEquals(1, reads.get(), "one read for three deliveries within the age");
    assertEquals(Set.of(), cache.current().joinedByOthers(GROUP, Set.of()), "a join is seen only after the age");

    clock.advance(Duration.ofMillis(1));
    assertEquals(Set.of(2), cache.current().joinedByOthers(GROUP, Set.of()), "read again at the age");
    assertEquals(2, reads.get());
  }

  @Test
  void theRelaysOwnJoinOrLeaveMakesTheNextDeliveryReadAgain() throws IOException {
    cache.current();
    igmp.set(JOINED_ON_2);
    cache.invalidate();
    assertEquals(Set.of(2), cache.current().joinedByOthers(GROUP, Set.of()));
    assertEquals(2, reads.get());
  }

  @Test
  void aClockThatWentBackReadsAgain() throws IOException {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:10Z"));
    Clock settable = new Clock() {
      @Override public ZoneId getZone() { return ZoneOffset.UTC; }
      @Override public Clock withZone(ZoneId zone) { return this; }
      @Override public Instant instant() { return now.get(); }
    };
    GroupMembershipCache cache = new GroupMembershipCache(() -> {
      reads.incrementAndGet();
      return GroupMemberships.parse(igmp.get(), true);
    }, settable);
    cache.current();
    now.set(now.get().minusSeconds(5));
    cache.current();
    assertEquals(2, reads.get(), "a reading from the future is not trusted");
  }

  @Test
  void aFailedReadIsNotCachedAndTheNextDeliveryTriesAgain() throws IOException {
    AtomicInteger attempts = new AtomicInteger();
    GroupMembershipCache failingOnce = new GroupMembershipCache(() -> {
      if (attempts.incrementAndGet() == 1) {
        throw new IOException("/proc/net/igmp: no such file");
      }
      return GroupMemberships.parse(JOINED_ON_2, true);
    }, clock);
    assertThrows(IOException.class, failingOnce::current);
    assertEquals(Set.of(2), failingOnce.current().joinedByOthers(GROUP, Set.of()));
  }
}
