package io.partynet.server.internal.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Versioned schema migrations: the SQL files {@code db/migration/DIALECT/V1.sql}, {@code V2.sql},
 * ... on the class path, applied in order, each in its own transaction together with its row in
 * {@code schema_history}, so a database is always at exactly one version. A database at a version
 * this server does not know (written by a newer server) is refused rather than guessed at.
 * A new schema change is a new file with the next number; a released file is never edited.
 *
 * <p>Several servers starting at once on one PostgreSQL database take turns through an advisory
 * lock, so each migration runs once. (Flyway does the same job; this runner is about a hundred lines,
 * adopts the databases written before versioned migrations existed without a baseline step, and
 * adds nothing to the server jar.)
 */
final class SchemaMigrations {
  /** A fixed key for {@code pg_advisory_lock}: "PartyNet" in ASCII, so it is recognisable in pg_locks. */
  static final long POSTGRES_LOCK_KEY = 0x50617274794e6574L;

  /** One migration: its version and its statements. */
  record Migration(int version, String description, List<String> statements) {}

  private final String dialect;
  private final List<Migration> migrations;

  private SchemaMigrations(String dialect, List<Migration> migrations) {
    this.dialect = dialect;
    this.migrations = migrations;
  }

  /** The migrations for {@code dialect} ({@code sqlite} or {@code postgresql}) shipped with this server. */
  static SchemaMigrations forDialect(String dialect) {
    List<Migration> found = new ArrayList<>();
    for (int version = 1; ; version++) {
      String resource = "/db/migration/" + dialect + "/V" + version + ".sql";
      try (InputStream in = SchemaMigrations.class.getResourceAsStream(resource)) {
        if (in == null) {
          break;
        }
        found.add(parse(version, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new IllegalStateException("cannot read the schema migration " + resource, e);
      }
    }
    if (found.isEmpty()) {
      throw new IllegalStateException("no schema migrations for " + dialect + " on the class path");
    }
    return new SchemaMigrations(dialect, List.copyOf(found));
  }

  /** The first line, a {@code -- } comment, describes the migration; statements end with ';' at a line's end. */
  static Migration parse(int version, String sql) {
    String description = sql.lines().findFirst().filter(l -> l.startsWith("--"))
        .map(l -> l.substring(2).strip()).orElse("migration " + version);
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : sql.split("\n")) {
      if (line.strip().startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (line.stripTrailing().endsWith(";")) {
        String statement = current.toString().strip();
        statements.add(statement.substring(0, statement.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      throw new IllegalStateException("migration V" + version + " ends without ';'");
    }
    return new Migration(version, description, List.copyOf(statements));
  }

  /** The newest version this server knows. */
  int latestVersion() {
    return migrations.get(migrations.size() - 1).version();
  }

  /** Brings the database on {@code connection} (auto-commit on) to {@link #latestVersion()}; returns the version it was at. */
  int migrate(Connection connection) throws SQLException {
    boolean postgres = dialect.equals("postgresql");
    if (postgres) {
      try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_lock(?)")) {
        lock.setLong(1, POSTGRES_LOCK_KEY);
        lock.execute();
      }
    }
    try {
      try (Statement s = connection.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS schema_history (version INTEGER PRIMARY KEY,"
            + " description TEXT NOT NULL, applied_at TEXT NOT NULL)");
      }
      int before = currentVersion(connection);
      if (before > latestVersion()) {
        throw new SQLException("the database is at schema version " + before + " but this server knows only up to "
            + latestVersion() + ": it was written by a newer server; run that version (or newer)");
      }
      for (Migration m : migrations) {
        if (m.version() > before) {
          apply(connection, m);
        }
      }
      return before;
    } finally {
      if (postgres) {
        try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
          unlock.setLong(1, POSTGRES_LOCK_KEY);
          unlock.execute();
        }
      }
    }
  }

  static int currentVersion(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_history")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static void apply(Connection connection, Migration m) throws SQLException {
    connection.setAutoCommit(false);
    try {
      try (Statement s = connection.createStatement()) {
        for (String statement : m.statements()) {
          s.execute(statement);
        }
      }
      try (PreparedStatement ps = connection.prepareStatement(
          "INSERT INTO schema_history(version, description, applied_at) VALUES (?, ?, ?)")) {
        ps.setInt(1, m.version());
        ps.setString(2, m.description());
        ps.setString(3, Instant.now().toString());
        ps.executeUpdate();
      }
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw new SQLException("schema migration V" + m.version() + " (" + m.description() + ") failed: "
          + e.getMessage(), e.getSQLState(), e);
    } finally {
      connection.setAutoCommit(true);
    }
  }
}
