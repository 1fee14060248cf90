package io.partynet.server.internal.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/**
 * The server's state in a PostgreSQL database, through a HikariCP connection pool: the same
 * tables as {@link SqliteStore} (timestamps as {@code timestamptz}), created and upgraded by
 * {@link SchemaMigrations}. Thread-safe: each call borrows a connection for its own transaction.
 */
public final class PostgresStore implements ServerStore {
  private static final StoreRows ROWS = StoreRows.TIMESTAMPTZ;
  /** How long a call waits for a pooled connection before it fails (see {@link #explain}). */
  static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);
  private final HikariDataSource pool;
  private final String url;

  private PostgresStore(HikariDataSource pool, String url) {
    this.pool = pool;
    this.url = url;
  }

  /** Connects (failing at once when the database is unreachable) and migrates the schema. */
  public static PostgresStore open(StoreLocation.Postgres location) throws IOException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(location.jdbcUrl());
    config.setUsername(location.user());
    if (location.password() != null) {
      config.setPassword(location.password());
    }
    config.setMaximumPoolSize(location.poolSize());
    config.setMinimumIdle(Math.min(2, location.poolSize()));
    config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
    config.setValidationTimeout(2_000);
    config.setPoolName("partynet-db");
    config.setRegisterMbeans(false);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new IOException("cannot connect to the PostgreSQL database " + location.jdbcUrl() + " as "
          + location.user() + ": " + rootMessage(e) + " (is it running, and are the user and password right?)", e);
    }
    try (Connection c = pool.getConnection()) {
      SchemaMigrations.forDialect("postgresql").migrate(c);
    } catch (SQLException | RuntimeException e) {
      pool.close();
      throw new IOException("cannot prepare the PostgreSQL database " + location.jdbcUrl() + ": " + e.getMessage(), e);
    }
    return new PostgresStore(pool, location.jdbcUrl());
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  /** The connection pool's figures now, for metrics. */
  public record PoolStats(int active, int idle, int waiting, int max) {}

  public PoolStats poolStats() {
    HikariPoolMXBean bean = pool.getHikariPoolMXBean();
    return new PoolStats(bean.getActiveConnections(), bean.getIdleConnections(),
        bean.getThreadsAwaitingConnection(), pool.getMaximumPoolSize());
  }

  @Override
  public void insertAccount(AccountRow row) {
    update("save a registration", c -> ROWS.insertAccount(c, row));
  }

  @Override
  public void replaceToken(String peerId, String tokenHash) {
    update("save a registration", c -> ROWS.replaceToken(c, peerId, tokenHash));
  }

  @Override
  public void updateAccounts(Map<String, Instant> lastUsed, List<String> expired) {
    update("save registrations", c -> ROWS.updateAccounts(c, lastUsed, expired));
  }

  @Override
  public List<AccountRow> loadAccounts() {
    return transaction("load registrations", ROWS::loadAccounts);
  }

  @Override
  public void insertBans(List<BanRow> rows) {
    update("save a kick", c -> ROWS.insertBans(c, rows));
  }

  @Override
  public List<BanRow> loadBans() {
    return transaction("load kicks", ROWS::loadBans);
  }

  @Override
  public List<PartyRow> loadParties() {
    return transaction("load parties", ROWS::loadParties);
  }

  @Override
  public void writeParties(List<PartyRow> upserts, List<String> deletions, CodeChanges codes, Instant now) {
    update("save parties", c -> ROWS.writeParties(c, upserts, deletions, codes, now));
  }

  @Override
  public Optional<String> partyOfCode(String code) {
    return statement("look up a party code", c -> PartyCodes.owner(c, code));
  }

  @Override
  public boolean takeCleanShutdown() {
    return transaction("read the shutdown marker", c -> {
      boolean clean = StoreRows.readCleanShutdown(c, " FOR UPDATE");
      StoreRows.setMeta(c, "clean_shutdown", "false");
      return clean;
    });
  }

  @Override
  public void markCleanShutdown() {
    update("write the shutdown marker", c -> StoreRows.setMeta(c, "clean_shutdown", "true"));
  }

  @Override
  public boolean reachable(int timeoutSeconds) {
    try (Connection c = pool.getConnection()) {
      return c.isValid(timeoutSeconds);
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public int schemaVersion() {
    try (Connection c = pool.getConnection()) {
      return SchemaMigrations.currentVersion(c);
    } catch (SQLException e) {
      throw storageFailure("read the schema version", e);
    }
  }

  @Override
  public String describe() {
    return url;
  }

  @Override
  public void close() {
    pool.close();
  }

  private interface Work {
    void run(Connection c) throws SQLException;
  }

  /** Runs {@code work} in one transaction on a pooled connection; rolls back on any failure. */
  private void update(String what, Work work) {
    transaction(what, c -> {
      work.run(c);
      return null;
    });
  }

  /** Work in a transaction that answers a value. */
  public interface TransactionWork<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction on a pooled connection and answers its value; rolls back
   * on any failure (a {@link PartyException} from the work passes through unchanged).
   */
  public <T> T transaction(String what, TransactionWork<T> work) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw storageFailure(what, e);
    }
  }

  /**
   * Runs {@code work}, which must be a single SQL statement (atomic on its own), on a pooled
   * connection in autocommit mode: one round trip instead of a transaction's statement plus
   * {@code COMMIT}, so the connection returns to the pool sooner. Used for the per-request reads
   * and the heartbeat's one-row update.
   */
  public <T> T statement(String what, TransactionWork<T> work) {
    try (Connection c = pool.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw storageFailure(what, e);
    }
  }

  private PartyException storageFailure(String what, SQLException e) {
    PoolStats stats;
    try {
      stats = poolStats();
    } catch (RuntimeException closed) {
      stats = new PoolStats(0, 0, 0, pool.getMaximumPoolSize());
    }
    return PartyException.of(Reason.STORAGE, "the server could not " + what + ": " + explain(e, stats), e);
  }

  /**
   * What a failure means and what to do about it. A wait for a pooled connection that timed out
   * while every connection was lent out is load (the pool is too small for it, or the database is
   * slow), not a database that is away, and says so; one that timed out while connections could not
   * be made, or a connection that broke (SQLState class 08) or that the server ended (57P: it shut
   * down or the database went away), is a database that cannot be reached.
   */
  static String explain(SQLException e, PoolStats pool) {
    boolean poolTimeout = e instanceof SQLTransientConnectionException;
    if (poolTimeout && pool.active() >= pool.max()) {
      return "all " + pool.max() + " connections of the pool were in use for " + CONNECTION_TIMEOUT.toSeconds()
          + " s (" + pool.waiting() + " more requests waiting): the database answers too slowly for this load;"
          + " try again, and raise the pool with --db-pool-size (up to 100, and within the database's"
          + " max_connections) or add capacity to the database";
    }
    if (poolTimeout) {
      Throwable cause = e.getCause();
      return "no connection to the PostgreSQL database could be made within " + CONNECTION_TIMEOUT.toSeconds() + " s"
          + (cause == null ? "" : " (" + cause.getMessage() + ")")
          + "; check that the database is running and reachable from this server";
    }
    String state = e.getSQLState();
    if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
      return e.getMessage() + "; the connection to the PostgreSQL database broke: check that it is running and"
          + " reachable from this server";
    }
    return e.getMessage();
  }
}
