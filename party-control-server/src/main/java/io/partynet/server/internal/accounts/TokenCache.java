package io.partynet.server.internal.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tokens one {@code --shared} instance found in the database a moment ago, so that a peer's every
 * request is not also a database transaction (under load that query was the most frequent one and
 * held a pooled connection per request). Keyed by the token's hash, never the token. An entry is
 * trusted for {@code ttl} after its lookup: a token replaced or expired through <em>another</em>
 * instance keeps working here for at most that long unless the caller {@linkplain #forgetPeer forgets
 * the peer} or {@linkplain #clear clears} sooner. A lookup that was under way while entries were
 * dropped is not cached (see {@link #generation}): it may have read the token before it was
 * replaced. Unknown tokens are not cached. Holds at most
 * {@code capacity} entries (when full, expired ones go, and if none had expired all go: the cache
 * only saves queries). Thread-safe.
 */
final class TokenCache {
  private record Entry(Accounts.Account account, Instant expires) {}

  private final Clock clock;
  private final Duration ttl;
  private final int capacity;
  private final Map<String, Entry> byHash = new ConcurrentHashMap<>();
  /** Counts the drops; a lookup that began before one must not be cached. */
  private final AtomicLong drops = new AtomicLong();

  TokenCache(Clock clock, Duration ttl, int capacity) {
    if (ttl.isNegative() || capacity < 1) {
      throw new IllegalArgumentException("need ttl >= 0 and capacity >= 1: " + ttl + ", " + capacity);
    }
    this.clock = clock;
    this.ttl = ttl;
    this.capacity = capacity;
  }

  /** The account of the token hashed to {@code tokenHash} if it was looked up less than the ttl ago. */
  Optional<Accounts.Account> get(String tokenHash) {
    Entry entry = byHash.get(tokenHash);
    if (entry == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(entry.expires())) {
      byHash.remove(tokenHash, entry);
      return Optional.empty();
    }
    return Optional.of(entry.account());
  }

  /** Taken before a database lookup and handed to {@link #put}: tells whether entries were dropped meanwhile. */
  long generation() {
    return drops.get();
  }

  /**
   * Remembers that the database answered {@code account} for {@code tokenHash} in a lookup begun
   * at {@code generation}; nothing is remembered when entries were dropped since.
   */
  void put(String tokenHash, Accounts.Account account, long generation) {
    Instant now = clock.instant();
    if (byHash.size() >= capacity) {
      byHash.values().removeIf(e -> !now.isBefore(e.expires()));
      if (byHash.size() >= capacity) {
        byHash.clear();
      }
    }
    Entry entry = new Entry(account, now.plus(ttl));
    byHash.put(tokenHash, entry);
    if (drops.get() != generation) {
      byHash.remove(tokenHash, entry); // a drop raced this lookup: the answer may be stale
    }
  }

  /** Drops every entry of {@code peerId} (its token was replaced through this instance). */
  void forgetPeer(String peerId) {
    drops.incrementAndGet();
    byHash.values().removeIf(e -> e.account().peerId().equals(peerId));
  }

  /** Drops every entry (registrations were deleted through this instance). */
  void clear() {
    drops.incrementAndGet();
    byHash.clear();
  }
}
