package io.partynet.server.internal;

import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The server's SQLite database: registered peers (id, public key, SHA-256 of the token) and one row
 * per party (its state as JSON and its event sequence number). WAL journal, so a reader such as
 * {@code sqlite3 .backup} never blocks the server and a crash of the process loses no committed
 * write. Thread-safe: one connection used under this object's lock.
 */
public final class SqliteStore implements AutoCloseable {
  private static final int SCHEMA_VERSION = 1;

  /** A stored registration. */
  public record AccountRow(String peerId, String publicKey, String tokenHash, Instant registeredAt, Instant lastUsed) {}

  /** A kicked member of a party (see {@link Bans}). */
  public record BanRow(String partyId, String peerId, String publicKey) {}

  /** A stored party: its {@code PartyEntry} JSON and the last event sequence number. */
  public record PartyRow(String partyId, long seq, String stateJson, String invitesJson) {}

  private final Connection connection;

  private SqliteStore(Connection connection) {
    this.connection = connection;
  }

  /** Opens (creating when absent, mode 0600) the database at {@code file}. */
  public static SqliteStore open(Path file) throws IOException {
    Path absolute = file.toAbsolutePath();
    if (absolute.getParent() != null) {
      Files.createDirectories(absolute.getParent());
    }
    if (!Files.exists(absolute) && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(absolute, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    try {
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + absolute);
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=NORMAL");
        s.execute("PRAGMA busy_timeout=5000");
        s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        s.execute("CREATE TABLE IF NOT EXISTS peers (peer_id TEXT PRIMARY KEY, public_key TEXT NOT NULL,"
            + " token_hash TEXT NOT NULL UNIQUE, registered_at TEXT NOT NULL)");
        s.execute("CREATE TABLE IF NOT EXISTS parties (party_id TEXT PRIMARY KEY, seq INTEGER NOT NULL,"
            + " state TEXT NOT NULL, updated_at TEXT NOT NULL)");
        addColumnIfMissing(s, "peers", "last_used", "TEXT");
        // The party's invite codes as a JSON array (null in rows written before invites existed).
        addColumnIfMissing(s, "parties", "invites", "TEXT");
        s.execute("CREATE TABLE IF NOT EXISTS bans (party_id TEXT NOT NULL, peer_id TEXT NOT NULL,"
            + " public_key TEXT NOT NULL, PRIMARY KEY (party_id, peer_id))");
        s.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', '" + SCHEMA_VERSION + "')");
      }
      checkSchema(c);
      return new SqliteStore(c);
    } catch (SQLException e) {
      throw new IOException("cannot open the server database " + absolute + ": " + e.getMessage()
          + " (is it a PartyNet server database, and is the directory writable?)", e);
    }
  }

  /** Schema changes within version 1 only ever add nullable columns, so older databases open as they are. */
  private static void addColumnIfMissing(Statement s, String table, String column, String type) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT 1 FROM pragma_table_info('" + table + "') WHERE name = '" + column + "'")) {
      if (rs.next()) {
        return;
      }
    }
    s.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type);
  }

  private static void checkSchema(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key = 'schema_version'")) {
      if (!rs.next() || Integer.parseInt(rs.getString(1)) != SCHEMA_VERSION) {
        throw new SQLException("unsupported schema version; this server reads version " + SCHEMA_VERSION);
      }
    }
  }

  public synchronized void insertAccount(AccountRow row) {
    try (PreparedStatement ps = connection.prepareStatement(
        "INSERT INTO peers(peer_id, public_key, token_hash, registered_at, last_used) VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, row.peerId());
      ps.setString(2, row.publicKey());
      ps.setString(3, row.tokenHash());
      ps.setString(4, row.registeredAt().toString());
      ps.setString(5, row.lastUsed().toString());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw storageFailure("save a registration", e);
    }
  }

  /** Gives a registered peer a new token hash (the old token stops working). */
  public synchronized void replaceToken(String peerId, String tokenHash) {
    try (PreparedStatement ps = connection.prepareStatement("UPDATE peers SET token_hash = ? WHERE peer_id = ?")) {
      ps.setString(1, tokenHash);
      ps.setString(2, peerId);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw storageFailure("save a registration", e);
    }
  }

  /** Records when peers last used their tokens and deletes {@code expired} registrations, in one transaction. */
  public synchronized void updateAccounts(Map<String, Instant> lastUsed, List<String> expired) {
    try {
      connection.setAutoCommit(false);
      try (PreparedStatement used = connection.prepareStatement("UPDATE peers SET last_used = ? WHERE peer_id = ?");
          PreparedStatement del = connection.prepareStatement("DELETE FROM peers WHERE peer_id = ?")) {
        for (Map.Entry<String, Instant> e : lastUsed.entrySet()) {
          used.setString(1, e.getValue().toString());
          used.setString(2, e.getKey());
          used.addBatch();
        }
        for (String peerId : expired) {
          del.setString(1, peerId);
          del.addBatch();
        }
        used.executeBatch();
        del.executeBatch();
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw storageFailure("save registrations", e);
    }
  }

  public synchronized List<AccountRow> loadAccounts() {
    List<AccountRow> rows = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT peer_id, public_key, token_hash, registered_at, last_used FROM peers")) {
      while (rs.next()) {
        Instant registered = Instant.parse(rs.getString(4));
        String used = rs.getString(5);
        rows.add(new AccountRow(rs.getString(1), rs.getString(2), rs.getString(3), registered,
            used == null ? registered : Instant.parse(used)));
      }
    } catch (SQLException e) {
      throw storageFailure("load registrations", e);
    }
    return rows;
  }

  public synchronized void insertBans(List<BanRow> rows) {
    try (PreparedStatement ps = connection.prepareStatement(
        "INSERT OR REPLACE INTO bans(party_id, peer_id, public_key) VALUES (?, ?, ?)")) {
      for (BanRow row : rows) {
        ps.setString(1, row.partyId());
        ps.setString(2, row.peerId());
        ps.setString(3, row.publicKey());
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw storageFailure("save a kick", e);
    }
  }

  public synchronized List<BanRow> loadBans() {
    List<BanRow> rows = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT party_id, peer_id, public_key FROM bans")) {
      while (rs.next()) {
        rows.add(new BanRow(rs.getString(1), rs.getString(2), rs.getString(3)));
      }
    } catch (SQLException e) {
      throw storageFailure("load kicks", e);
    }
    return rows;
  }

  public synchronized List<PartyRow> loadParties() {
    List<PartyRow> rows = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT party_id, seq, state, invites FROM parties")) {
      while (rs.next()) {
        rows.add(new PartyRow(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
      }
    } catch (SQLException e) {
      throw storageFailure("load parties", e);
    }
    return rows;
  }

  /** Writes {@code upserts} and deletes {@code deletions} in one transaction. */
  public synchronized void writeParties(List<PartyRow> upserts, List<String> deletions, Instant now) {
    try {
      connection.setAutoCommit(false);
      try (PreparedStatement up = connection.prepareStatement(
              "INSERT INTO parties(party_id, seq, state, updated_at, invites) VALUES (?, ?, ?, ?, ?)"
                  + " ON CONFLICT(party_id) DO UPDATE SET seq = excluded.seq, state = excluded.state,"
                  + " updated_at = excluded.updated_at, invites = excluded.invites");
          PreparedStatement del = connection.prepareStatement("DELETE FROM parties WHERE party_id = ?");
          PreparedStatement unban = connection.prepareStatement("DELETE FROM bans WHERE party_id = ?")) {
        for (PartyRow row : upserts) {
          up.setString(1, row.partyId());
          up.setLong(2, row.seq());
          up.setString(3, row.stateJson());
          up.setString(4, now.toString());
          up.setString(5, row.invitesJson());
          up.addBatch();
        }
        for (String id : deletions) {
          del.setString(1, id);
          del.addBatch();
          unban.setString(1, id);
          unban.addBatch();
        }
        up.executeBatch();
        del.executeBatch();
        unban.executeBatch();
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw storageFailure("save parties", e);
    }
  }

  /**
   * Whether the last run ended with {@link #markCleanShutdown()}; from now on the database counts
   * as in use (not cleanly shut down) until that is called again. A new database counts as clean.
   */
  public synchronized boolean takeCleanShutdown() {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key = 'clean_shutdown'")) {
      boolean clean = !rs.next() || Boolean.parseBoolean(rs.getString(1));
      setMeta("clean_shutdown", "false");
      return clean;
    } catch (SQLException e) {
      throw storageFailure("read the shutdown marker", e);
    }
  }

  /** Records that every change was written and the server stopped on purpose. */
  public synchronized void markCleanShutdown() {
    try {
      setMeta("clean_shutdown", "true");
    } catch (SQLException e) {
      throw storageFailure("write the shutdown marker", e);
    }
  }

  private void setMeta(String key, String value) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(
        "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
      ps.setString(1, key);
      ps.setString(2, value);
      ps.executeUpdate();
    }
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw storageFailure("close the database", e);
    }
  }

  private static PartyException storageFailure(String what, SQLException e) {
    return PartyException.of(Reason.STORAGE, "the server could not " + what + ": " + e.getMessage()
        + "; check the disk and the database file", e);
  }
}
