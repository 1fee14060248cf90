package io.partynet.server.internal.store;

import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/**
 * The server's SQLite database: registered peers (id, public key, SHA-256 of the token) and one row
 * per party (its state as JSON and its event sequence number). WAL journal, so a reader such as
 * {@code sqlite3 .backup} never blocks the server and a crash of the process loses no committed
 * write. Thread-safe: one connection used under this object's lock.
 */
public final class SqliteStore implements ServerStore {
  private static final StoreRows ROWS = StoreRows.TEXT_TIMESTAMPS;
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
    run("save a registration", () -> ROWS.insertAccount(connection, row));
  }

  @Override
  public synchronized void replaceToken(String peerId, String tokenHash) {
    run("save a registration", () -> ROWS.replaceToken(connection, peerId, tokenHash));
  }

  @Override
  public synchronized void updateAccounts(Map<String, Instant> lastUsed, List<String> expired) {
    inTransaction("save registrations", () -> ROWS.updateAccounts(connection, lastUsed, expired));
  }

  @Override
  public synchronized List<AccountRow> loadAccounts() {
    return read("load registrations", () -> ROWS.loadAccounts(connection));
  }

  @Override
  public synchronized void insertBans(List<BanRow> rows) {
    run("save a kick", () -> ROWS.insertBans(connection, rows));
  }

  @Override
  public synchronized List<BanRow> loadBans() {
    return read("load kicks", () -> ROWS.loadBans(connection));
  }

  @Override
  public synchronized List<PartyRow> loadParties() {
    return read("load parties", () -> ROWS.loadParties(connection));
  }

  @Override
  public synchronized void writeParties(List<PartyRow> upserts, List<String> deletions, CodeChanges codes,
      Instant now) {
    inTransaction("save parties", () -> ROWS.writeParties(connection, upserts, deletions, codes, now));
  }

  @Override
  public synchronized Optional<String> partyOfCode(String code) {
    return read("look up a party code", () -> PartyCodes.owner(connection, code));
  }

  @Override
  public synchronized boolean takeCleanShutdown() {
    return read("read the shutdown marker", () -> {
      boolean clean = StoreRows.readCleanShutdown(connection, "");
      StoreRows.setMeta(connection, "clean_shutdown", "false");
      return clean;
    });
  }

  @Override
  public synchronized void markCleanShutdown() {
    run("write the shutdown marker", () -> StoreRows.setMeta(connection, "clean_shutdown", "true"));
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

  /** A read against the connection; may throw SQLException. */
  private interface SqlRead<T> {
    T read() throws SQLException;
  }

  /** Runs {@code work} (one statement, or several that need not be atomic). */
  private void run(String what, SqlWork work) {
    read(what, () -> {
      work.run();
      return null;
    });
  }

  private <T> T read(String what, SqlRead<T> read) {
    try {
      return read.read();
    } catch (SQLException e) {
      throw storageFailure(what, e);
    }
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

  private static PartyException storageFailure(String what, SQLException e) {
    return PartyException.of(Reason.STORAGE, "the server could not " + what + ": " + e.getMessage()
        + "; check the disk and the database file", e);
  }
}
