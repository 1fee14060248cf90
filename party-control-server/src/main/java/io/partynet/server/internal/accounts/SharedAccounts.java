package io.partynet.server.internal.accounts;

import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import io.partynet.protocol.internal.Validation;
import io.partynet.server.internal.store.PostgresStore;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Registrations read from the PostgreSQL database that several instances share ({@code --shared}):
 * a token issued by one instance works on every one at once, and a token replaced through one stops
 * working on all. A token found in the database is trusted by this instance for up to
 * {@link #TOKEN_TTL} ({@link TokenCache}), so a peer's requests are not each a database query; the
 * transaction that replaces a token or deletes registrations sends {@code NOTIFY} on
 * {@link #TOKEN_CHANNEL}, and every instance's event feed drops the cached entries when it arrives
 * (milliseconds; the instance that made the change drops them at once). A notice lost while an
 * instance's feed was disconnected is covered by dropping the whole cache when the feed
 * reconnects; the ttl bounds the lag if everything else fails. Registrations are
 * serialised across instances by a transaction-level advisory lock (the rules "a key belongs to one
 * peer, a peer id to one key" and the registration bound hold for the deployment). When a token
 * was last used is collected per instance and written in batches, as {@link Accounts} does; the
 * deployment's expiry counts a peer as in a party when the database says so. Thread-safe.
 */
public final class SharedAccounts implements PeerAccounts {
  /** "PNreg" in ASCII: the lock that serialises registrations across instances. */
  private static final long REGISTRATION_LOCK_KEY = 0x504e726567L;
  /** The LISTEN/NOTIFY channel of token changes: payload a peer id whose token was replaced, or {@link #ALL_TOKENS}. */
  public static final String TOKEN_CHANNEL = "partynet_tokens";
  /** The token notice payload "registrations were deleted": every cached token is dropped. */
  public static final String ALL_TOKENS = "*";
  /**
   * How long a token looked up in the database is trusted without asking again. Token notices
   * normally end that sooner; this bounds how long a token replaced through another instance can
   * keep working here should a notice go missing without the feed noticing.
   */
  public static final Duration TOKEN_TTL = Duration.ofSeconds(30);
  /** Tokens cached at most (a bound on memory, not on registrations). */
  private static final int TOKEN_CACHE_CAPACITY = 100_000;

  private final PostgresStore store;
  private final Clock clock;
  private final int maxAccounts;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Instant> unwrittenUses = new ConcurrentHashMap<>();
  private final TokenCache tokens;

  public SharedAccounts(PostgresStore store, Clock clock, int maxAccounts) {
    this.store = store;
    this.clock = clock;
    this.maxAccounts = maxAccounts;
    this.tokens = new TokenCache(clock, TOKEN_TTL, Math.min(maxAccounts, TOKEN_CACHE_CAPACITY));
  }

  @Override
  public String register(String peerId, String publicKey) {
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    String hash = Accounts.hash(token);
    Instant now = clock.instant();
    store.transaction("register a peer", c -> {
      try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        lock.setLong(1, REGISTRATION_LOCK_KEY);
        lock.execute();
      }
      String existingKey = null;
      String keyOwner = null;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT peer_id, public_key FROM peers WHERE peer_id = ? OR public_key = ?")) {
        ps.setString(1, peerId);
        ps.setString(2, publicKey);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (rs.getString(1).equals(peerId)) {
              existingKey = rs.getString(2);
            } else {
              keyOwner = rs.getString(1);
            }
          }
        }
      }
      if (existingKey != null && !existingKey.equals(publicKey)) {
        throw PartyException.of(Reason.FORBIDDEN, "peer id " + peerId
            + " is registered with another key: use the token it was given, or register under a new peer id");
      }
      if (keyOwner != null) {
        throw PartyException.of(Reason.FORBIDDEN,
            "this WireGuard public key is registered to another peer: every player needs a key of its own");
      }
      if (existingKey == null) {
        if (count(c) >= maxAccounts) {
          throw PartyException.of(Reason.CONTROL_PLANE_UNAVAILABLE, "the server holds its maximum of "
              + maxAccounts + " registrations; unused ones expire, try again later");
        }
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO peers(peer_id, public_key, token_hash, registered_at, last_used) VALUES (?, ?, ?, ?, ?)")) {
          ps.setString(1, peerId);
          ps.setString(2, publicKey);
          ps.setString(3, hash);
          ps.setObject(4, utc(now));
          ps.setObject(5, utc(now));
          ps.executeUpdate();
        }
      } else {
        try (PreparedStatement ps = c.prepareStatement("UPDATE peers SET token_hash = ?, last_used = GREATEST(last_used, ?) WHERE peer_id = ?")) {
          ps.setString(1, hash);
          ps.setObject(2, utc(now));
          ps.setString(3, peerId);
          ps.executeUpdate();
        }
        notifyTokens(c, peerId);
      }
      return null;
    });
    tokens.forgetPeer(peerId);
    return token;
  }

  @Override
  public Optional<Accounts.Account> authenticate(String token) {
    if (!Validation.isTokenShape(token)) {
      return Optional.empty();
    }
    String hash = Accounts.hash(token);
    Optional<Accounts.Account> account = tokens.get(hash);
    if (account.isEmpty()) {
      long generation = tokens.generation();
      account = store.statement("check a token", c -> {
        try (PreparedStatement ps = c.prepareStatement("SELECT peer_id, public_key FROM peers WHERE token_hash = ?")) {
          ps.setString(1, hash);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(new Accounts.Account(rs.getString(1), rs.getString(2)))
                : Optional.<Accounts.Account>empty();
          }
        }
      });
      account.ifPresent(a -> tokens.put(hash, a, generation));
    }
    account.ifPresent(a -> Accounts.recordUse(unwrittenUses, a.peerId(), clock.instant()));
    return account;
  }

  /**
   * Writes this instance's recent uses, then deletes registrations unused for {@code ttl} whose
   * peers are in no party of the deployment ({@code inAParty} is not needed: the database knows).
   */
  @Override
  public int expire(Duration ttl, Predicate<String> inAParty) {
    saveUses();
    int deleted = store.transaction("expire unused registrations", c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM peers WHERE last_used < ?"
          + " AND NOT EXISTS (SELECT 1 FROM member_seen m WHERE m.peer_id = peers.peer_id)")) {
        ps.setObject(1, utc(clock.instant().minus(ttl)));
        int rows = ps.executeUpdate();
        if (rows > 0) {
          notifyTokens(c, ALL_TOKENS);
        }
        return rows;
      }
    });
    if (deleted > 0) {
      tokens.clear();
    }
    return deleted;
  }

  /** A notice from {@link #TOKEN_CHANNEL}: drops the cached tokens it names (delivered after the change committed). */
  public void onTokenNotice(String payload) {
    if (payload == null || payload.equals(ALL_TOKENS)) {
      tokens.clear();
    } else {
      tokens.forgetPeer(payload);
    }
  }

  /** Tells every instance, when this transaction commits, that {@code payload}'s tokens changed. */
  private static void notifyTokens(java.sql.Connection c, String payload) throws java.sql.SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      ps.setString(1, TOKEN_CHANNEL);
      ps.setString(2, payload);
      ps.execute();
    }
  }

  @Override
  public void saveUses() {
    Map<String, Instant> uses = new HashMap<>(unwrittenUses);
    uses.forEach(unwrittenUses::remove); // only the uses copied: one recorded meanwhile stays
    try {
      store.updateAccounts(uses, List.of());
    } catch (RuntimeException e) {
      uses.forEach(unwrittenUses::putIfAbsent);
      throw e;
    }
  }

  /**
   * The deployment's registration-challenge secret (32 random bytes in {@code meta}), made by the
   * first instance that asks; every instance derives its challenges from it.
   */
  public byte[] challengeSecret() {
    byte[] fresh = new byte[32];
    random.nextBytes(fresh);
    String encoded = store.transaction("read the registration challenge secret", c -> {
      try (PreparedStatement ins = c.prepareStatement(
          "INSERT INTO meta(key, value) VALUES ('challenge_secret', ?) ON CONFLICT (key) DO NOTHING")) {
        ins.setString(1, Base64.getEncoder().encodeToString(fresh));
        ins.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE key = 'challenge_secret'");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    });
    return Base64.getDecoder().decode(encoded);
  }

  @Override
  public int size() {
    return store.transaction("count registrations", SharedAccounts::count);
  }

  private static int count(java.sql.Connection c) throws java.sql.SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM peers"); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
