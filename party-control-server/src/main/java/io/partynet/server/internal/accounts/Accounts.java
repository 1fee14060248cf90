package io.partynet.server.internal.accounts;

import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import io.partynet.protocol.internal.Validation;
import io.partynet.server.internal.store.ServerStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.function.Predicate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

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
  /** Peer ids and public keys whose registration is being written (guarded by this). */
  private final Set<String> peersBeingWritten = new HashSet<>();
  private final Set<String> keysBeingWritten = new HashSet<>();
  private final int maxAccounts;

  /** How long a registration waits for another one of its peer id or key to be written. */
  static final Duration TURN_WAIT = Duration.ofSeconds(10);

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
   *
   * <p>The lock is held for the checks and the in-memory claim only, not across the write, so
   * registrations of different peers do not queue behind each other's disk I/O. A registration
   * naming a peer id or key whose registration is being written waits for that one to end (up to
   * {@link #TURN_WAIT}) and is then checked against its outcome: of two racing registrations that
   * cannot both stand, exactly one wins. A failed write takes its claim back; the token it would
   * have replaced keeps working.
   */
  @Override
  public String register(String peerId, String publicKey) {
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    String hash = hash(token);
    Account account = new Account(peerId, publicKey);
    Instant now = clock.instant();
    String replacedHash;
    synchronized (this) {
      awaitTurn(peerId, publicKey);
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
      replacedHash = existing == null ? null : tokenHashByPeerId.get(peerId);
      if (existing == null) {
        // Claimed now, so it counts against the maximum; its token works once it is written.
        byPeerId.put(peerId, account);
        peerIdByPublicKey.put(publicKey, peerId);
      }
      peersBeingWritten.add(peerId);
      keysBeingWritten.add(publicKey);
    }
    boolean written = false;
    try {
      if (replacedHash == null) {
        store.insertAccount(new ServerStore.AccountRow(peerId, publicKey, hash, now, now));
      } else {
        store.replaceToken(peerId, hash);
      }
      written = true;
    } finally {
      synchronized (this) {
        if (written) {
          if (replacedHash != null) {
            byTokenHash.remove(replacedHash);
          }
          byTokenHash.put(hash, account);
          tokenHashByPeerId.put(peerId, hash);
          peerIdByPublicKey.put(publicKey, peerId);
          recordUse(lastUsed, peerId, now);
        } else if (replacedHash == null) {
          byPeerId.remove(peerId);
          peerIdByPublicKey.remove(publicKey, peerId);
        }
        peersBeingWritten.remove(peerId);
        keysBeingWritten.remove(publicKey);
        notifyAll();
      }
    }
    return token;
  }

  /** Waits (holding this) while a registration of {@code peerId} or {@code publicKey} is being written. */
  private void awaitTurn(String peerId, String publicKey) {
    long deadline = System.nanoTime() + TURN_WAIT.toNanos();
    while (peersBeingWritten.contains(peerId) || keysBeingWritten.contains(publicKey)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw PartyException.of(Reason.CONTROL_PLANE_UNAVAILABLE, "another registration of this peer id or key"
            + " is still being written (the database is slow); try again");
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw PartyException.of(Reason.CONTROL_PLANE_UNAVAILABLE, "interrupted while waiting to register; try again");
      }
    }
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
        // A peer whose new token is being written is in use, whatever its last use says.
        if (e.getValue().isBefore(cutoff) && !peersBeingWritten.contains(e.getKey()) && !inAParty.test(e.getKey())) {
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
