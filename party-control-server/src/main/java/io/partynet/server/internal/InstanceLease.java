package io.partynet.server.internal;

import io.partynet.server.internal.store.StoreLocation;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one server instance at a time the active one on a PostgreSQL database. Each instance keeps
 * its parties in memory and writes them through to the database, so two active instances on one
 * database would overwrite each other's changes; the lease is a PostgreSQL session-level advisory
 * lock held on a connection of its own. PostgreSQL releases it when that session ends, including
 * when the active instance is killed or loses its network, so a standby instance waiting for the
 * lease ({@code --standby}) takes over within about a second of the old one's connection closing.
 *
 * <p>Once held, the lease's connection is checked every {@code checkInterval}; when the check fails
 * the lease may already belong to another instance, so {@code onLost} runs (the server stops
 * serving) rather than risk two writers. Thread-safe.
 */
final class InstanceLease implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InstanceLease.class);
  /** "PNactive" in ASCII: distinct from the migration lock, recognisable in pg_locks. */
  static final long LEASE_KEY = 0x504e616374697665L;

  private final Connection connection;
  private final boolean shared;
  private final ScheduledExecutorService watchdog;

  private InstanceLease(Connection connection, boolean shared, ScheduledExecutorService watchdog) {
    this.connection = connection;
    this.shared = shared;
    this.watchdog = watchdog;
  }

  /**
   * The lease a server on {@code store} takes before it serves: none on SQLite (one file, one
   * process); with {@code shared}, the lease shared by every {@code --shared} instance; otherwise
   * the one active instance's lease, waited for as a {@code standby} (until {@code stopped}).
   * {@code onLost} runs when a held lease's connection fails. Null when there is no lease to take.
   */
  static InstanceLease forServer(StoreLocation store, boolean shared, boolean standby, BooleanSupplier stopped,
      Runnable onLost) throws IOException {
    if (shared) {
      return acquireShared((StoreLocation.Postgres) store, Duration.ofSeconds(2), onLost);
    }
    if (store instanceof StoreLocation.Postgres postgres) {
      return acquire(postgres, standby, Duration.ofMillis(500), Duration.ofSeconds(2), stopped, onLost);
    }
    return null;
  }

  /**
   * Takes the lease on {@code location}'s database. Without {@code wait}, fails at once when
   * another instance holds it; with {@code wait}, polls every {@code poll} until it is free or
   * {@code cancelled} says to stop waiting.
   */
  static InstanceLease acquire(StoreLocation.Postgres location, boolean wait, Duration poll,
      Duration checkInterval, BooleanSupplier cancelled, Runnable onLost) throws IOException {
    return acquire(location, false, wait, poll, checkInterval, cancelled, onLost);
  }

  /**
   * The lease of one of several instances sharing the database ({@code --shared}): the same lock
   * held in shared mode, so any number of shared instances hold it together while an instance
   * without {@code --shared} (which must be alone) cannot take it, and the other way round.
   */
  static InstanceLease acquireShared(StoreLocation.Postgres location, Duration checkInterval, Runnable onLost)
      throws IOException {
    return acquire(location, true, false, checkInterval, checkInterval, () -> true, onLost);
  }

  private static InstanceLease acquire(StoreLocation.Postgres location, boolean shared, boolean wait, Duration poll,
      Duration checkInterval, BooleanSupplier cancelled, Runnable onLost) throws IOException {
    Connection c = null;
    try {
      boolean logged = false;
      while (true) {
        if (c == null || !c.isValid(2)) {
          closeQuietly(c);
          c = location.connect("partynet-server-lease");
        }
        if (tryLock(c, shared)) {
          break;
        }
        if (shared) {
          throw new IOException("a server instance without --shared is active on " + location.jdbcUrl()
              + "; it must be alone on its database: stop it, then start every instance with --shared");
        }
        if (!wait) {
          throw new IOException("another server instance is active on " + location.jdbcUrl() + "; only one serves"
              + " a database at a time: start this one with --standby to take over when that one stops"
              + " (or start every instance with --shared to serve it together)");
        }
        if (cancelled.getAsBoolean()) {
          throw new IOException("stopped while standing by");
        }
        if (!logged) {
          LOG.atInfo().setMessage("standby: another instance is active; waiting to take over")
              .addKeyValue("store", location.jdbcUrl()).log();
          logged = true;
        }
        Thread.sleep(poll.toMillis());
      }
    } catch (SQLException e) {
      closeQuietly(c);
      throw new IOException("cannot take the instance lease on " + location.jdbcUrl() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      closeQuietly(c);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the instance lease", e);
    } catch (IOException e) {
      closeQuietly(c);
      throw e;
    }
    ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "partynet-server-lease");
      t.setDaemon(true);
      return t;
    });
    InstanceLease lease = new InstanceLease(c, shared, watchdog);
    long every = checkInterval.toMillis();
    watchdog.scheduleWithFixedDelay(() -> lease.check(onLost), every, every, TimeUnit.MILLISECONDS);
    return lease;
  }

  private static boolean tryLock(Connection c, boolean shared) throws SQLException {
    String function = shared ? "pg_try_advisory_lock_shared" : "pg_try_advisory_lock";
    try (PreparedStatement ps = c.prepareStatement("SELECT " + function + "(?)")) {
      ps.setLong(1, LEASE_KEY);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  private void check(Runnable onLost) {
    try (Statement s = connection.createStatement()) {
      s.execute("SELECT 1");
    } catch (SQLException e) {
      LOG.atError().setMessage("lost the connection that holds the instance lease; stopping, as another"
          + " instance may be active now").addKeyValue("error", e.getMessage()).log();
      watchdog.shutdown();
      onLost.run();
    }
  }

  /**
   * Gives the lease up (a standby takes over at once). The lock is released by an explicit unlock
   * before the connection closes: closing alone only asks the backend to end its session, which
   * happens a moment later, and a server restarted at once on the same database would find the
   * lease still held and refuse to start.
   */
  @Override
  public void close() {
    watchdog.shutdownNow();
    try (PreparedStatement ps = connection.prepareStatement(
        shared ? "SELECT pg_advisory_unlock_shared(?)" : "SELECT pg_advisory_unlock(?)")) {
      ps.setLong(1, LEASE_KEY);
      ps.execute();
    } catch (SQLException e) {
      LOG.atDebug().setMessage("could not release the instance lease explicitly; the session's end releases it")
          .addKeyValue("error", e.getMessage()).log();
    }
    closeQuietly(connection);
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // already gone: PostgreSQL released the lock with the session
      }
    }
  }
}
