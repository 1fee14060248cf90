package io.partynet.server.internal.accounts;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Registered peers and their bearer tokens: {@link Accounts} (held in memory, written through; one
 * active instance) or {@link SharedAccounts} (read from a PostgreSQL database that several
 * instances share, so a token issued by one works on every one). Implementations are thread-safe.
 */
public interface PeerAccounts {
  /**
   * Registers {@code peerId} with {@code publicKey} (whose possession the caller has checked) and
   * returns a new token, stored before it is returned. A public key belongs to one peer, and a peer
   * id to one key: registering the same pair again replaces the token; any other overlap is refused.
   */
  String register(String peerId, String publicKey);

  /** The peer a token belongs to; empty for a malformed, forged or unknown token. */
  Optional<Accounts.Account> authenticate(String token);

  /**
   * Writes recent uses, then forgets registrations unused for {@code ttl} whose peers are in no
   * party ({@code inAParty}); returns how many expired.
   */
  int expire(Duration ttl, Predicate<String> inAParty);

  /** Writes the recent uses of tokens (at shutdown). */
  void saveUses();

  /** How many registrations there are. */
  int size();
}
