package io.partynet.server.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh database on the shared throwaway {@link PostgresCluster} for each test, dropped after it
 * (after the test's own {@code @AfterEach} methods, so servers they stop are gone first):
 * {@code @RegisterExtension final PostgresDatabase db = new PostgresDatabase();}.
 */
public final class PostgresDatabase implements BeforeEachCallback, AfterEachCallback {
  private PostgresCluster cluster;
  private String name;

  @Override
  public void beforeEach(ExtensionContext context) {
    cluster = PostgresCluster.shared();
    name = cluster.createDatabase();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    drop();
  }

  /** The JDBC URL of this test's database. */
  public String jdbcUrl() {
    return cluster.jdbcUrl(name);
  }

  /** The server's {@code --store} URL for this test's database. */
  public String storeUrl() {
    return cluster.storeUrl(name);
  }

  /** Runs {@code sql} in this test's database as the cluster's superuser. */
  public void execute(String sql) {
    cluster.execute(name, sql);
  }

  /** Drops the database now (a test may, to make it unreachable); dropping it again does nothing. */
  public void drop() {
    cluster.dropDatabase(name);
  }
}
