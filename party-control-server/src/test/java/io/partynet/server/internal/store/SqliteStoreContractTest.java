package io.partynet.server.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on SQLite, plus the adoption of a database written before versioned migrations. */
class SqliteStoreContractTest extends ServerStoreContract {
  @TempDir Path dir;

  @Override
  ServerStore open() throws IOException {
    return SqliteStore.open(dir.resolve("server.db"));
  }

  @Override
  void execute(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("server.db"));
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Override
  Map<String, String> queryPairs(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("server.db"))) {
      return pairs(c, sql);
    }
  }

  @Override
  int latestVersion() {
    return SchemaMigrations.forDialect("sqlite").latestVersion();
  }

  @Test
  void aFirstReleaseDatabaseWithoutHistoryOrLastUsedIsAdoptedWithItsRows() throws Exception {
    execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    execute("INSERT INTO meta VALUES ('schema_version', '1')");
    execute("CREATE TABLE peers (peer_id TEXT PRIMARY KEY, public_key TEXT NOT NULL,"
        + " token_hash TEXT NOT NULL UNIQUE, registered_at TEXT NOT NULL)");
    execute("INSERT INTO peers VALUES ('alice', 'KA', 'h1', '2026-01-01T00:00:00Z')");
    execute("CREATE TABLE parties (party_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, state TEXT NOT NULL,"
        + " updated_at TEXT NOT NULL)");
    execute("INSERT INTO parties VALUES ('P1', 5, '{}', '2026-01-01T00:00:00Z')");
    try (ServerStore store = open()) {
      Instant t = Instant.parse("2026-01-01T00:00:00Z");
      assertEquals(java.util.List.of(new ServerStore.AccountRow("alice", "KA", "h1", t, t)), store.loadAccounts());
      assertEquals(java.util.List.of(new ServerStore.PartyRow("P1", 5, "{}", null)), store.loadParties());
      assertEquals(latestVersion(), store.schemaVersion());
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("server.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM schema_history")) {
      rs.next();
      assertEquals(latestVersion(), rs.getInt(1), "each migration recorded once");
    }
  }
}
