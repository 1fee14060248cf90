package io.partynet.server.internal.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.testing.ManualClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenCacheTest {
  private static final Accounts.Account ALICE = new Accounts.Account("alice", "key-a");
  private static final Accounts.Account BOB = new Accounts.Account("bob", "key-b");

  private final ManualClock clock = ManualClock.startingAt("2026-01-01T00:00:00Z");
  private final TokenCache cache = new TokenCache(clock, Duration.ofSeconds(2), 3);

  @Test
  void anEntryIsTrustedForTheTtlAndNoLonger() {
    cache.put("h1", ALICE, cache.generation());
    clock.advance(Duration.ofMillis(1_999));
    assertEquals(Optional.of(ALICE), cache.get("h1"));
    clock.advance(Duration.ofMillis(1));
    assertEquals(Optional.empty(), cache.get("h1"), "at the ttl the database is asked again");
  }

  @Test
  void anUnknownHashIsNotAnswered() {
    assertEquals(Optional.empty(), cache.get("nobody"));
  }

  @Test
  void forgettingAPeerDropsOnlyItsEntries() {
    cache.put("h1", ALICE, cache.generation());
    cache.put("h2", ALICE, cache.generation());
    cache.put("h3", BOB, cache.generation());
    cache.forgetPeer("alice");
    assertEquals(Optional.empty(), cache.get("h1"));
    assertEquals(Optional.empty(), cache.get("h2"));
    assertEquals(Optional.of(BOB), cache.get("h3"));
  }

  @Test
  void whenFullExpiredEntriesGoFirst() {
    cache.put("old", ALICE, cache.generation());
    clock.advance(Duration.ofSeconds(2));
    cache.put("h2", BOB, cache.generation());
    cache.put("h3", BOB, cache.generation());
    cache.put("h4", BOB, cache.generation()); // full: "old" has expired and makes room
    assertEquals(Optional.of(BOB), cache.get("h2"));
    assertEquals(Optional.of(BOB), cache.get("h4"));
  }

  @Test
  void whenFullOfLiveEntriesTheCacheStartsOverAndStaysBounded() {
    cache.put("h1", ALICE, cache.generation());
    cache.put("h2", ALICE, cache.generation());
    cache.put("h3", ALICE, cache.generation());
    cache.put("h4", BOB, cache.generation());
    assertEquals(Optional.empty(), cache.get("h1"));
    assertEquals(Optional.of(BOB), cache.get("h4"));
  }

  @Test
  void aLookupUnderWayWhileEntriesWereDroppedIsNotCached() {
    long before = cache.generation();
    cache.forgetPeer("alice"); // the token was replaced while the lookup read the old row
    cache.put("h1", ALICE, before);
    assertEquals(Optional.empty(), cache.get("h1"));
    cache.put("h1", ALICE, cache.generation());
    assertEquals(Optional.of(ALICE), cache.get("h1"), "a lookup begun after the drop is cached");
  }

  @Test
  void clearDropsEverything() {
    cache.put("h1", ALICE, cache.generation());
    cache.clear();
    assertTrue(cache.get("h1").isEmpty());
  }

  @Test
  void rejectsANonsenseConfiguration() {
    assertThrows(IllegalArgumentException.class, () -> new TokenCache(clock, Duration.ofSeconds(-1), 3));
    assertThrows(IllegalArgumentException.class, () -> new TokenCache(clock, Duration.ofSeconds(1), 0));
  }
}
