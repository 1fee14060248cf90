package io.partynet.server.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The server's state in a PostgreSQL database, through a HikariCP connection pool: the same
 * tables as {@link SqliteStore} (timestamps as {@code timestamptz}), created and upgraded by
 * {@link SchemaMigrations}. Thread-safe: each call borrows a connection for its own transaction.
 */
public final class PostgresStore implements ServerStore {
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
    config.setConnectionTimeout(5_000);
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
    update("save a registration", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO peers(peer_id, public_key, token_hash, registered_at, last_used) VALUES (?, ?, ?, ?, ?)")) {
        ps.setString(1, row.peerId());
        ps.setString(2, row.publicKey());
        ps.setString(3, row.tokenHash());
        ps.setObject(4, timestamp(row.registeredAt()));
        ps.setObject(5, timestamp(row.lastUsed()));
        ps.executeUpdate();
      }
    });
  }

  @Override
  public void replaceToken(String peerId, String tokenHash) {
    update("save a registration", c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE peers SET token_hash = ? WHERE peer_id = ?")) {
        ps.setString(1, tokenHash);
        ps.setString(2, peerId);
        ps.executeUpdate();
      }
    });
  }

  @Override
  public void updateAccounts(Map<String, Instant> lastUsed, List<String> expired) {
    update("save registrations", c -> {
      try (PreparedStatement used = c.prepareStatement("UPDATE peers SET last_used = ? WHERE peer_id = ?");
          PreparedStatement del = c.prepareStatement("DELETE FROM peers WHERE peer_id = ?")) {
        for (Map.Entry<String, Instant> e : lastUsed.entrySet()) {
          used.setObject(1, timestamp(e.getValue()));
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
  public List<AccountRow> loadAccounts() {
    return query("load registrations",
        "SELECT peer_id, public_key, token_hash, registered_at, last_used FROM peers",
        rs -> new AccountRow(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4), instant(rs, 5)));
  }

  @Override
  public void insertBans(List<BanRow> rows) {
    update("save a kick", c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO bans(party_id, peer_id, public_key) VALUES (?, ?, ?)"
          + " ON CONFLICT (party_id, peer_id) DO UPDATE SET public_key = excluded.public_key")) {
        for (BanRow row : rows) {
          ps.setString(1, row.partyId());
          ps.setString(2, row.peerId());
          ps.setString(3, row.publicKey());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    });
  }

  @Override
  public List<BanRow> loadBans() {
    return query("load kicks", "SELECT party_id, peer_id, public_key FROM bans",
        rs -> new BanRow(rs.getString(1), rs.getString(2), rs.getString(3)));
  }

  @Override
  public List<PartyRow> loadParties() {
    return query("load parties", "SELECT party_id, seq, state, invites FROM parties",
        rs -> new PartyRow(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
  }

  @Override
  public void writeParties(List<PartyRow> upserts, List<String> deletions, Instant now) {
    update("save parties", c -> {
      try (PreparedStatement up = c.prepareStatement(
              "INSERT INTO parties(party_id, seq, state, updated_at, invites) VALUES (?, ?, ?, ?, ?)"
                  + " ON CONFLICT (party_id) DO UPDATE SET seq = excluded.seq, state = excluded.state,"
                  + " updated_at = excluded.updated_at, invites = excluded.invites");
          PreparedStatement del = c.prepareStatement("DELETE FROM parties WHERE party_id = ?");
          PreparedStatement unban = c.prepareStatement("DELETE FROM bans WHERE party_id = ?")) {
        for (PartyRow row : upserts) {
          up.setString(1, row.partyId());
          up.setLong(2, row.seq());
          up.setString(3, row.stateJson());
          up.setObject(4, timestamp(now));
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
  public boolean takeCleanShutdown() {
    boolean[] clean = {true};
    update("read the shutdown marker", c -> {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key = 'clean_shutdown' FOR UPDATE")) {
        clean[0] = !rs.next() || Boolean.parseBoolean(rs.getString(1));
      }
      setMeta(c, "clean_shutdown", "false");
    });
    return clean[0];
  }

  @Override
  public void markCleanShutdown() {
    update("write the shutdown marker", c -> setMeta(c, "clean_shutdown", "true"));
  }

  private static void setMeta(Connection c, String key, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
      ps.setString(1, key);
      ps.setString(2, value);
      ps.executeUpdate();
    }
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

  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Runs {@code work} in one transaction on a pooled connection; rolls back on any failure. */
  private void update(String what, Work work) {
    transaction(what, c -> {
      work.run(c);
      return null;
    });
  }

  /** Work in a transaction that answers a value. */
  interface TransactionWork<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction on a pooled connection and answers its value; rolls back
   * on any failure (a {@link PartyException} from the work passes through unchanged).
   */
  <T> T transaction(String what, TransactionWork<T> work) {
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

  private <T> List<T> query(String what, String sql, RowReader<T> reader) {
    List<T> rows = new ArrayList<>();
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rows.add(reader.read(rs));
      }
    } catch (SQLException e) {
      throw storageFailure(what, e);
    }
    return rows;
  }

  private static OffsetDateTime timestamp(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }

  private static PartyException storageFailure(String what, SQLException e) {
    return PartyException.of(Reason.STORAGE, "the server could not " + what + ": " + e.getMessage()
        + "; check that the PostgreSQL database is reachable", e);
  }
}
