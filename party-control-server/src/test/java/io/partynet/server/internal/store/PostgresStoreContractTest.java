package io.partynet.server.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partynet.server.testing.PostgresCluster;
import io.partynet.server.testing.PostgresDatabase;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store contract on a real PostgreSQL (a throwaway cluster from the Debian package), plus
 * several servers migrating one new database at once.
 */
class PostgresStoreContractTest extends ServerStoreContract {
  @RegisterExtension final PostgresDatabase db = new PostgresDatabase();

  @Override
  ServerStore open() throws IOException {
    return new StoreLocation.Postgres(db.jdbcUrl(), PostgresCluster.USER, null, 2).open();
  }

  @Override
  void execute(String sql) {
    db.execute(sql);
  }

  @Override
  Map<String, String> queryPairs(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), PostgresCluster.USER, null)) {
      return pairs(c, sql);
    }
  }

  @Override
  int latestVersion() {
    return SchemaMigrations.forDialect("postgresql").latestVersion();
  }

  @Test
  void fourServersStartingAtOnceOnANewDatabaseMigrateItOnce() throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<ServerStore>> opening = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      opening.add(CompletableFuture.supplyAsync(() -> {
        try {
          go.await();
          return open();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    go.countDown();
    for (CompletableFuture<ServerStore> f : opening) {
      try (ServerStore store = f.get(60, TimeUnit.SECONDS)) {
        assertEquals(latestVersion(), store.schemaVersion());
      }
    }
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), PostgresCluster.USER, null);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_history")) {
      rs.next();
      assertEquals(latestVersion(), rs.getInt(1));
      assertEquals(latestVersion(), rs.getInt(2));
    }
  }
}
