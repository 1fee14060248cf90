package io.partynet.core.internal.settings;

import io.partynet.core.internal.persist.PrivateFiles;
import io.partynet.spi.SettingKey;
import io.partynet.spi.SettingType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The settings database: one SQLite table {@code settings(key, type, value, updated_at)} with the
 * value in its text form ({@link SettingType}). The database runs in WAL mode with a busy
 * timeout, every write is a single statement or an IMMEDIATE transaction, and a busy database is
 * retried until the timeout, so several threads and several processes can use one file at once.
 *
 * <p>Thread-safe: calls are serialised on one connection; each waits at most the busy timeout.
 */
public final class SettingsDatabase implements AutoCloseable {
  public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(SettingsDatabase.class);
  private static final int SCHEMA_VERSION = 1;
  private static final String UPSERT = "INSERT INTO settings(key, type, value, updated_at) VALUES (?, ?, ?, ?) "
      + "ON CONFLICT(key) DO UPDATE SET type = excluded.type, value = excluded.value, "
      + "updated_at = excluded.updated_at";

  private final Path file;
  private final Duration busyTimeout;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Connection connection;

  private SettingsDatabase(Path file, Duration busyTimeout, Clock clock, Connection connection) {
    this.file = file;
    this.busyTimeout = busyTimeout;
    this.clock = clock;
    this.connection = connection;
  }

  /** Opens (creating when absent) the database at {@code file} with the default busy timeout. */
  public static SettingsDatabase open(Path file) throws IOException {
    return open(file, DEFAULT_BUSY_TIMEOUT, Clock.systemUTC());
  }

  /**
   * Opens (creating when absent) the database at {@code file}.
   *
   * @param busyTimeout how long any call waits for another connection's lock before it fails
   * @param clock stamps {@code updated_at}
   */
  public static SettingsDatabase open(Path file, Duration busyTimeout, Clock clock) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(clock, "clock");
    if (busyTimeout.isNegative() || busyTimeout.isZero() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("busy timeout must be positive and below 24 days: " + busyTimeout);
    }
    Path absolute = file.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    makeOwnerOnly(absolute);
    Connection connection = retryWhileBusy(absolute, busyTimeout, "open", () -> connect(absolute, busyTimeout));
    try {
      retryWhileBusy(absolute, busyTimeout, "create the schema", () -> {
        createSchema(absolute, connection);
        return null;
      });
    } catch (IOException | RuntimeException e) {
      closeQuietly(connection);
      throw e;
    }
    return new SettingsDatabase(absolute, busyTimeout, clock, connection);
  }

  /** The stored value of {@code key}, or its default when the key was never set. */
  public <T> T get(SettingKey<T> key) throws IOException {
    return find(key).orElse(key.defaultValue());
  }

  /**
   * The stored value of {@code key}, if any.
   *
   * @throws IllegalArgumentException when the stored text is not a valid value for the key
   */
  public <T> Optional<T> find(SettingKey<T> key) throws IOException {
    return findRaw(key.name()).map(setting -> key.parse(setting.value()));
  }

  /** Stores {@code value} for {@code key} (validated against the key's type and rule). */
  public <T> void set(SettingKey<T> key, T value) throws IOException {
    writeRow(key.name(), key.type(), key.format(value));
  }

  /** Stores a value given as text, after checking that it parses as {@code type}. */
  public void setRaw(String key, SettingType type, String text) throws IOException {
    Objects.requireNonNull(key, "key");
    try {
      type.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("setting '" + key + "': " + e.getMessage(), e);
    }
    writeRow(key, type, text);
  }

  /** The row for {@code key}, if any. */
  public Optional<Setting> findRaw(String key) throws IOException {
    Objects.requireNonNull(key, "key");
    return call("read " + key, () -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT key, type, value, updated_at FROM settings WHERE key = ?")) {
        select.setString(1, key);
        try (ResultSet rows = select.executeQuery()) {
          return rows.next() ? Optional.of(row(rows)) : Optional.<Setting>empty();
        }
      }
    });
  }

  /** Every row, ordered by key. */
  public Map<String, Setting> getAll() throws IOException {
    return call("read all settings", () -> {
      Map<String, Setting> all = new LinkedHashMap<>();
      try (Statement select = connection.createStatement();
          ResultSet rows = select.executeQuery("SELECT key, type, value, updated_at FROM settings ORDER BY key")) {
        while (rows.next()) {
          Setting setting = row(rows);
          all.put(setting.key(), setting);
        }
      }
      return all;
    });
  }

  /** Deletes {@code key}; true when it existed. */
  public boolean remove(String key) throws IOException {
    Objects.requireNonNull(key, "key");
    return call("remove " + key, () -> {
      try (PreparedStatement delete = connection.prepareStatement("DELETE FROM settings WHERE key = ?")) {
        delete.setString(1, key);
        return delete.executeUpdate() > 0;
      }
    });
  }

  /**
   * Writes the default of every key that has no row yet, in one transaction, leaving existing
   * values alone. Returns how many rows were added.
   */
  public int insertDefaults(Collection<? extends SettingKey<?>> keys) throws IOException {
    String now = clock.instant().toString();
    return call("write defaults", () -> {
      try {
        connection.setAutoCommit(false);
        int added = 0;
        try (PreparedStatement insert = connection.prepareStatement(
            "INSERT OR IGNORE INTO settings(key, type, value, updated_at) VALUES (?, ?, ?, ?)")) {
          for (SettingKey<?> key : keys) {
            insert.setString(1, key.name());
            insert.setString(2, key.type().name());
            insert.setString(3, key.defaultText());
            insert.setString(4, now);
            added += insert.executeUpdate();
          }
        }
        connection.commit();
        return added;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    });
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    lockWithTimeout("close");
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IOException("could not close settings database " + file + ": " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  private void writeRow(String key, SettingType type, String text) throws IOException {
    String now = clock.instant().toString();
    call("write " + key, () -> {
      try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
        upsert.setString(1, key);
        upsert.setString(2, type.name());
        upsert.setString(3, text);
        upsert.setString(4, now);
        return upsert.executeUpdate();
      }
    });
  }

  private Setting row(ResultSet rows) throws SQLException {
    String key = rows.getString(1);
    String typeName = rows.getString(2);
    SettingType type;
    try {
      type = SettingType.valueOf(typeName);
    } catch (IllegalArgumentException e) {
      log.warn("Setting '{}' in {} has unknown type '{}'; treating it as a string", key, file, typeName);
      type = SettingType.STRING;
    }
    Instant updatedAt;
    try {
      updatedAt = Instant.parse(rows.getString(4));
    } catch (RuntimeException e) {
      updatedAt = Instant.EPOCH;
    }
    return new Setting(key, type, rows.getString(3), updatedAt);
  }

  private <T> T call(String what, SqlAction<T> action) throws IOException {
    lockWithTimeout(what);
    try {
      return retryWhileBusy(file, busyTimeout, what, action);
    } finally {
      lock.unlock();
    }
  }

  private void lockWithTimeout(String what) throws IOException {
    try {
      if (!lock.tryLock(busyTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IOException("settings database " + file + " stayed busy in this process for "
            + busyTimeout + " (" + what + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for settings database " + file, e);
    }
  }

  /**
   * Runs {@code action}, repeating it while SQLite reports the database busy. The busy timeout
   * already waits inside SQLite; this loop covers the cases where SQLite returns BUSY at once
   * (switching to WAL, a read transaction that must become a write).
   */
  private static <T> T retryWhileBusy(Path file, Duration timeout, String what, SqlAction<T> action)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pauseMillis = 1;
    while (true) {
      try {
        return action.run();
      } catch (SQLException e) {
        if (!isBusy(e) || System.nanoTime() - deadline > 0) {
          throw new IOException("settings database " + file + ": could not " + what + ": " + e.getMessage()
              + (isBusy(e) ? " (another PartyNet process holds it; close it or raise the busy timeout)" : ""), e);
        }
      }
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for settings database " + file, e);
      }
      pauseMillis = Math.min(pauseMillis * 2, 50);
    }
  }

  private static boolean isBusy(SQLException e) {
    if (e instanceof SQLiteException sqlite) {
      SQLiteErrorCode code = sqlite.getResultCode();
      return (code.code & 0xff) == SQLiteErrorCode.SQLITE_BUSY.code
          || (code.code & 0xff) == SQLiteErrorCode.SQLITE_LOCKED.code;
    }
    return false;
  }

  private static Connection connect(Path file, Duration busyTimeout) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout((int) busyTimeout.toMillis());
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    // A write transaction takes the write lock up front, so the busy handler applies to it and
    // it can never fail halfway when upgrading from a read lock.
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    return config.createConnection("jdbc:sqlite:" + file);
  }

  private static void createSchema(Path file, Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode=WAL")) {
        if (!mode.next() || !"wal".equalsIgnoreCase(mode.getString(1))) {
          log.warn("Settings database {} could not switch to WAL mode; concurrent use will be slower", file);
        }
      }
      statement.executeUpdate("CREATE TABLE IF NOT EXISTS settings ("
          + "key TEXT PRIMARY KEY NOT NULL, type TEXT NOT NULL, value TEXT NOT NULL, updated_at TEXT NOT NULL)");
      int version;
      try (ResultSet rows = statement.executeQuery("PRAGMA user_version")) {
        version = rows.next() ? rows.getInt(1) : 0;
      }
      if (version > SCHEMA_VERSION) {
        throw new SQLException("settings database " + file + " has schema version " + version
            + ", newer than this PartyNet understands (" + SCHEMA_VERSION + "); upgrade PartyNet");
      }
      if (version < SCHEMA_VERSION) {
        statement.executeUpdate("PRAGMA user_version = " + SCHEMA_VERSION);
      }
    }
  }

  private void rollbackQuietly() {
    try {
      connection.rollback();
    } catch (SQLException e) {
      // The failure that led here is the one to report; SQLite ends the transaction on close anyway.
      log.debug("rollback of settings transaction failed", e);
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      log.debug("closing settings database after a failed open", e);
    }
  }

  @FunctionalInterface
  private interface SqlAction<T> {
    T run() throws SQLException;
  }

  /**
   * Creates the database file {@code rw-------} before SQLite opens it: SQLite gives its journal,
   * WAL and shared-memory files the database file's mode, so none of them is readable by others.
   * Files an older version left looser are tightened.
   */
  private static void makeOwnerOnly(Path database) throws IOException {
    PrivateFiles.createFile(database);
    for (String suffix : new String[] {"-wal", "-shm", "-journal"}) {
      Path companion = database.resolveSibling(database.getFileName() + suffix);
      if (Files.exists(companion)) {
        PrivateFiles.file(companion);
      }
    }
  }
}
