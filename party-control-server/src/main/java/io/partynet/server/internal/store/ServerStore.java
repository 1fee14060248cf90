package io.partynet.server.internal.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the server keeps what must survive a restart: registrations, parties (state and event
 * sequence number), kicks, and whether the last run stopped cleanly. Two implementations:
 * {@link SqliteStore} (one embedded file, the default) and {@link PostgresStore} (a PostgreSQL
 * database, for deployments that outgrow one file). Both create and upgrade their schema with
 * {@link SchemaMigrations} when opened. Every method is a complete write or read: a method that
 * returns normally has committed its change. Implementations are thread-safe.
 */
public interface ServerStore extends AutoCloseable {

  /** A stored registration. */
  record AccountRow(String peerId, String publicKey, String tokenHash, Instant registeredAt, Instant lastUsed) {}

  /** A kicked member of a party (see {@code Bans}). */
  record BanRow(String partyId, String peerId, String publicKey) {}

  /** A stored party: its {@code PartyEntry} JSON and the last event sequence number. */
  record PartyRow(String partyId, long seq, String stateJson, String invitesJson) {}

  /**
   * How the codes naming parties changed (see {@link PartyCodes}): {@code added} now name their
   * party, {@code dropped} no longer do (an old invite made room for a new one). A party's codes
   * change only when it is created or issues an invite, so most writes carry {@link #NONE}.
   */
  record CodeChanges(List<PartyCode> added, List<PartyCode> dropped) {
    public static final CodeChanges NONE = new CodeChanges(List.of(), List.of());

    public CodeChanges {
      added = List.copyOf(added);
      dropped = List.copyOf(dropped);
    }
  }

  /** A code (a party id or an invite code) and the party it names. */
  record PartyCode(String code, String partyId) {}

  void insertAccount(AccountRow row);

  /** Gives a registered peer a new token hash (the old token stops working). */
  void replaceToken(String peerId, String tokenHash);

  /** Records when peers last used their tokens and deletes {@code expired} registrations, in one transaction. */
  void updateAccounts(Map<String, Instant> lastUsed, List<String> expired);

  List<AccountRow> loadAccounts();

  /** Adds kicks (a kick already stored for that party and peer is replaced). */
  void insertBans(List<BanRow> rows);

  List<BanRow> loadBans();

  List<PartyRow> loadParties();

  /**
   * Writes {@code upserts}, deletes {@code deletions} (with their kicks and codes) and applies
   * {@code codes} in one transaction. The codes are the caller's to say: the store does not read
   * them from the invites (that would re-parse and rewrite every code on every write).
   */
  void writeParties(List<PartyRow> upserts, List<String> deletions, CodeChanges codes, Instant now);

  /**
   * The party {@code code} (normalised) names: its id or one of its invite codes, live or revoked
   * (one index lookup; every code names at most one party, see {@link PartyCodes}).
   */
  Optional<String> partyOfCode(String code);

  /**
   * Whether the last run ended with {@link #markCleanShutdown()}; from now on the database counts
   * as in use (not cleanly shut down) until that is called again. A new database counts as clean.
   */
  boolean takeCleanShutdown();

  /** Records that every change was written and the server stopped on purpose. */
  void markCleanShutdown();

  /** Whether the database answers a trivial query within {@code timeoutSeconds} (for health checks). */
  boolean reachable(int timeoutSeconds);

  /** The schema version the database is at (see {@link SchemaMigrations}). */
  int schemaVersion();

  /** What the store is, for logs: a file path or a database URL, never a password. */
  String describe();

  @Override
  void close();
}
