package io.partynet.server.internal;

import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import io.partynet.protocol.internal.Validation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
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
public final class Accounts {

  /** A registered peer: its id and WireGuard public key. */
  public record Account(String peerId, String publicKey) {}

  private final SqliteStore store;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Account> byTokenHash = new ConcurrentHashMap<>();
  private final Map<String, Account> byPeerId = new ConcurrentHashMap<>();

  public Accounts(SqliteStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
    for (SqliteStore.AccountRow row : store.loadAccounts()) {
      Account account = new Account(row.peerId(), row.publicKey());
      byTokenHash.put(row.tokenHash(), account);
      byPeerId.put(row.peerId(), account);
    }
  }

  /**
   * Registers {@code peerId} and returns its new token, written to the database before it is
   * returned. A peer id that is already registered cannot be taken over.
   */
  public synchronized String register(String peerId, String publicKey) {
    if (byPeerId.containsKey(peerId)) {
      throw PartyException.of(Reason.FORBIDDEN, "peer id " + peerId
          + " is already registered: use the token it was given, or register under a new peer id");
    }
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    String hash = hash(token);
    store.insertAccount(new SqliteStore.AccountRow(peerId, publicKey, hash, clock.instant()));
    Account account = new Account(peerId, publicKey);
    byTokenHash.put(hash, account);
    byPeerId.put(peerId, account);
    return token;
  }

  /** The peer a token belongs to; empty for a malformed, forged or unknown token. */
  public Optional<Account> authenticate(String token) {
    if (!Validation.isTokenShape(token)) {
      return Optional.empty();
    }
    return Optional.ofNullable(byTokenHash.get(hash(token)));
  }

  public int size() {
    return byPeerId.size();
  }

  private static String hash(String token) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(token.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
