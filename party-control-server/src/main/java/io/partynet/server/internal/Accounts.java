package io.partynet.server.internal;

import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import io.partynet.protocol.internal.Validation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.Predicate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registered peers and their bearer tokens. A token is 256 bits from {@link SecureRandom}, given to
 * the peer once; only its SHA-256 is kept (in memory and in the database), so a leaked database
 * does not let anyone act as a peer. A fast hash is right here because the token has full entropy:
 * there is nothing to brute-force. Thread-safe.
 */
public final class Accounts implements PeerAccounts {

  /** A registered peer: its id and WireGuard public key. */
  public record Account(String peerId, String publicKey) {}

  private final ServerStore store;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Account> byTokenHash = new ConcurrentHashMap<>();
  private final Map<String, Account> byPeerId = new ConcurrentHashMap<>();
  private final Map<String, String> peerIdByPublicKey = new ConcurrentHashMap<>();
  private final Map<String, String> tokenHashByPeerId = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastUsed = new ConcurrentHashMap<>();
  /** Uses not yet written; written in batches by {@link #expire}, so a request never waits for a write. */
  private final Map<String, Instant> unwrittenUses = new ConcurrentHashMap<>();
  private final int maxAccounts;

  public Accounts(ServerStore store, Clock clock, int maxAccounts) {
    this.store = store;
    this.clock = clock;
    this.maxAccounts = maxAccounts;
    for (ServerStore.AccountRow row : store.loadAccounts()) {
      Account account = new Account(row.peerId(), row.publicKey());
      byTokenHash.put(row.tokenHash(), account);
      byPeerId.put(row.peerId(), account);
      tokenHashByPeerId.put(row.peerId(), row.tokenHash());
      lastUsed.put(row.peerId(), row.lastUsed());
      peerIdByPublicKey.putIfAbsent(row.publicKey(), row.peerId());
    }
  }

  /**
   * Registers {@code peerId} with {@code publicKey} (whose possession the caller has checked) and
   * returns a new token, written to the database before it is returned. A public key belongs to
   * one peer, and a peer id to one key: registering the same pair again replaces the token (the
   * key's owner lost it); any other overlap is refused.
   */
  @Override
  public synchronized String register(String peerId, String publicKey) {
    Account existing = byPeerId.get(peerId);
    if (existing != null && !existing.publicKey().equals(publicKey)) {
      throw PartyException.of(Reason.FORBIDDEN, "peer id " + peerId
          + " is registered with another key: use the token it was given, or register under a new peer id");
    }
    String owner = peerIdByPublicKey.get(publicKey);
    if (owner != null && !owner.equals(peerId)) {
      throw PartyException.of(Reason.FORBIDDEN,
          "this WireGuard public key is registered to another peer: every player needs a key of its own");
    }
    if (existing == null && byPeerId.size() >= maxAccounts) {
      throw PartyException.of(Reason.CONTROL_PLANE_UNAVAILABLE, "the server holds its maximum of "
          + maxAccounts + " registrations; unused ones expire, try again later");
    }
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    String hash = hash(token);
    Account account = new Account(peerId, publicKey);
    Instant now = clock.instant();
    recordUse(lastUsed, peerId, now);
    if (existing == null) {
      store.insertAccount(new ServerStore.AccountRow(peerId, publicKey, hash, now, now));
    } else {
      store.replaceToken(peerId, hash);
      byTokenHash.remove(tokenHashByPeerId.get(peerId));
    }
    byTokenHash.put(hash, account);
    byPeerId.put(peerId, account);
    tokenHashByPeerId.put(peerId, hash);
    peerIdByPublicKey.put(publicKey, peerId);
    return token;
  }

  /** The peer a token belongs to; empty for a malformed, forged or unknown token. */
  @Override
  public Optional<Account> authenticate(String token) {
    if (!Validation.isTokenShape(token)) {
      return Optional.empty();
    }
    Account account = byTokenHash.get(hash(token));
    if (account == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    recordUse(lastUsed, account.peerId(), now);
    recordUse(unwrittenUses, account.peerId(), now);
    return Optional.of(account);
  }

  /**
   * Writes recent uses, then forgets registrations unused for {@code ttl} whose peers are in no
   * party ({@code inAParty}); their tokens stop working and their ids and keys become free.
   * Returns how many expired.
   */
  @Override
  public int expire(Duration ttl, Predicate<String> inAParty) {
    Instant cutoff = clock.instant().minus(ttl);
    List<String> expired = new ArrayList<>();
    synchronized (this) {
      for (Map.Entry<String, Instant> e : lastUsed.entrySet()) {
        if (e.getValue().isBefore(cutoff) && !inAParty.test(e.getKey())) {
          expired.add(e.getKey());
        }
      }
      write(expired);
      for (String peerId : expired) {
        Account account = byPeerId.remove(peerId);
        byTokenHash.remove(tokenHashByPeerId.remove(peerId));
        lastUsed.remove(peerId);
        if (account != null) {
          peerIdByPublicKey.remove(account.publicKey(), peerId);
        }
      }
    }
    return expired.size();
  }

  /** Writes the recent uses of tokens (at shutdown; {@link #expire} does it on its schedule). */
  @Override
  public synchronized void saveUses() {
    write(List.of());
  }

  private void write(List<String> expired) {
    Map<String, Instant> uses = new HashMap<>(unwrittenUses);
    uses.forEach(unwrittenUses::remove); // only the uses copied: one recorded meanwhile stays
    try {
      store.updateAccounts(uses, expired);
    } catch (RuntimeException e) {
      uses.forEach(unwrittenUses::putIfAbsent);
      throw e;
    }
  }

  /**
   * Records that {@code peerId} used its token at {@code when} unless a later use is recorded:
   * concurrent requests read the clock in one order and record in another.
   */
  static void recordUse(Map<String, Instant> uses, String peerId, Instant when) {
    uses.merge(peerId, when, (recorded, offered) -> offered.isAfter(recorded) ? offered : recorded);
  }

  @Override
  public int size() {
    return byPeerId.size();
  }

  static String hash(String token) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(token.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
