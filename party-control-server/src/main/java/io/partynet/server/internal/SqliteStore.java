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
public final class SqliteStore implements ServerStore {
  private final Connection connection;
  private final Path file;

  private SqliteStore(Connection connection, Path file) {
    this.connection = connection;
    this.file = file;
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
      }
      SchemaMigrations.forDialect("sqlite").migrate(c);
      try (Statement s = c.createStatement()) {
        addColumnIfMissing(s, "peers", "last_used", "TEXT");
      }
      return new SqliteStore(c, absolute);
    } catch (SQLException e) {
      throw new IOException("cannot open the server database " + absolute + ": " + e.getMessage()
          + " (is it a PartyNet server database, and is the directory writable?)", e);
    }
  }

  /** Databases of the first release, from before versioned migrations, lack this column; V1 creates it. */
  private static void addColumnIfMissing(Statement s, String table, String column, String type) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT 1 FROM pragma_table_info('" + table + "') WHERE name = '" + column + "'")) {
      if (rs.next()) {
        return;
      }
    }
    s.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type);
  }

  @Override
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

  @Override
  public synchronized void replaceToken(String peerId, String tokenHash) {
    try (PreparedStatement ps = connection.prepareStatement("UPDATE peers SET token_hash = ? WHERE peer_id = ?")) {
      ps.setString(1, tokenHash);
      ps.setString(2, peerId);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw storageFailure("save a registration", e);
    }
  }

  @Override
  public synchronized void updateAccounts(Map<String, Instant> lastUsed, List<String> expired) {
    inTransaction("save registrations", () -> {
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
      }
    });
  }

  @Override
  public synchronized List<AccountRow> loadAccounts() {
    return query("SELECT peer_id, public_key, token_hash, registered_at, last_used FROM peers", "load registrations",
        rs -> {
          Instant registered = Instant.parse(rs.getString(4));
          String used = rs.getString(5);
          return new AccountRow(rs.getString(1), rs.getString(2), rs.getString(3), registered,
              used == null ? registered : Instant.parse(used));
        });
  }

  @Override
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

  @Override
  public synchronized List<BanRow> loadBans() {
    return query("SELECT party_id, peer_id, public_key FROM bans", "load kicks",
        rs -> new BanRow(rs.getString(1), rs.getString(2), rs.getString(3)));
  }

  @Override
  public synchronized List<PartyRow> loadParties() {
    return query("SELECT party_id, seq, state, invites FROM parties", "load parties",
        rs -> new PartyRow(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
  }

  @Override
  public synchronized void writeParties(List<PartyRow> upserts, List<String> deletions, Instant now) {
    inTransaction("save parties", () -> {
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
      }
    });
  }

  @Override
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

  @Override
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
  public synchronized boolean reachable(int timeoutSeconds) {
    try {
      return connection.isValid(timeoutSeconds);
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public synchronized int schemaVersion() {
    try {
      return SchemaMigrations.currentVersion(connection);
    } catch (SQLException e) {
      throw storageFailure("read the schema version", e);
    }
  }

  @Override
  public String describe() {
    return "sqlite:" + file;
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw storageFailure("close the database", e);
    }
  }

  /** Statements against the connection; may throw SQLException. */
  private interface SqlWork {
    void run() throws SQLException;
  }

  /** One row of a result set as a value. */
  private interface RowReader<T> {
    T read(ResultSet row) throws SQLException;
  }

  /** Runs {@code work} as one transaction: all of it is written, or (on failure) none of it. */
  private void inTransaction(String what, SqlWork work) {
    try {
      connection.setAutoCommit(false);
      try {
        work.run();
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw storageFailure(what, e);
    }
  }

  /** Every row {@code sql} selects, read by {@code reader}. */
  private <T> List<T> query(String sql, String what, RowReader<T> reader) {
    List<T> rows = new ArrayList<>();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rows.add(reader.read(rs));
      }
    } catch (SQLException e) {
      throw storageFailure(what, e);
    }
    return rows;
  }

  private static PartyException storageFailure(String what, SQLException e) {
    return PartyException.of(Reason.STORAGE, "the server could not " + what + ": " + e.getMessage()
        + "; check the disk and the database file", e);
  }
}
