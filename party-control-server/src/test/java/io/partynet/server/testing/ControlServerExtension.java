package io.partynet.server.testing;

import io.partynet.IpPrefix;
import io.partynet.core.internal.registry.RegistrySettings;
import io.partynet.server.internal.ControlServer;
import io.partynet.server.internal.ControlServerBuilder;
import io.partynet.server.internal.store.StoreLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that runs a real control plane server on an ephemeral loopback port with
 * its own SQLite database, on the clock the test gives (so stale timeouts follow a manual clock),
 * and closes it after each test. It lives in the server's test-jar rather than in party-testing
 * because it needs the server, and the server's own tests use party-testing (Maven allows no
 * cycle). {@link #stop()}, {@link #restart()} and {@link #wipe()} stand for a server that goes
 * away, comes back, or comes back having lost its state.
 *
 * <p>With the system property {@code partynet.test.store=postgresql} (set by the build's
 * {@code postgresql-store} test run) the server keeps its state in a database of its own on the
 * JVM's throwaway {@link PostgresCluster} instead of an SQLite file, so the same suites prove both
 * stores. With {@code partynet.test.store=postgresql-shared} (the build's {@code postgresql-shared}
 * run) the server is moreover started with {@code --shared}: the same suites prove that an
 * instance serving a database it could share with others keeps the whole contract.
 *
 * <pre>{@code
 * @RegisterExtension final ControlServerExtension server = ControlServerExtension.on(clock);
 * ... RemoteControlPlaneClient.builder(server.uri()) ...
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ControlServerExtension implements AfterEachCallback, AutoCloseable {
  private final Clock clock;
  private Duration staleTimeout = Duration.ofSeconds(90);
  private Duration cleanupInterval = Duration.ofMillis(100);
  private Consumer<ControlServerBuilder> customizer = b -> {};
  private Path database;
  private Path dir;
  /** The PostgreSQL database in use, when the store is PostgreSQL and it was created. */
  private String postgresDatabase;
  private ControlServer server;
  private int port;

  private ControlServerExtension(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A server (started on first use) whose registry reads {@code clock}. */
  public static ControlServerExtension on(Clock clock) {
    return new ControlServerExtension(clock);
  }

  /** Members silent for longer than this (on the server's clock) are removed; default 90 s. */
  public synchronized ControlServerExtension staleTimeout(Duration timeout) {
    staleTimeout = timeout;
    return this;
  }

  /** How often the cleanup runs, in real time; default 100 ms. */
  public synchronized ControlServerExtension cleanupInterval(Duration interval) {
    cleanupInterval = interval;
    return this;
  }

  /** Changes the server's options beyond these defaults (TLS, rate limits, replay depth...). */
  public synchronized ControlServerExtension customize(Consumer<ControlServerBuilder> change) {
    customizer = Objects.requireNonNull(change, "change");
    return this;
  }

  /** Keeps the database at {@code file} instead of in a temporary directory (left in place by close()). */
  public synchronized ControlServerExtension database(Path file) {
    database = file;
    return this;
  }

  /** The running server, started now if it is not yet. */
  public synchronized ControlServer server() {
    if (server == null) {
      start();
    }
    return server;
  }

  /** {@code http://127.0.0.1:PORT}; the port stays the same across {@link #restart()}. */
  public synchronized URI uri() {
    server();
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Stops the server (clients see it unreachable) until {@link #restart()}. */
  public synchronized void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** Starts the server again on the same port and database, as after a crash or an update. */
  public synchronized void restart() {
    stop();
    start();
  }

  /** Restarts the server on the same port with an empty database: every party is gone, nobody was told. */
  public synchronized void wipe() {
    stop();
    if (postgresDatabase != null) {
      PostgresCluster.shared().dropDatabase(postgresDatabase);
      postgresDatabase = null;
      start();
      return;
    }
    try {
      for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
        Files.deleteIfExists(Path.of(database() + suffix));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    start();
  }

  private void start() {
    try {
      if (database == null && dir == null) {
        dir = Files.createTempDirectory("partynet-server");
      }
      ControlServerBuilder builder = ControlServer.builder()
          .host("127.0.0.1")
          .port(port)
          .store(storeLocation())
          .clock(clock)
          .registrySettings(new RegistrySettings(IpPrefix.parse("10.77.0.0/16"), 16, staleTimeout))
          .cleanupInterval(cleanupInterval)
          .addressRateLimit(100_000, 100_000)
          .peerRateLimit(10_000, 10_000)
          .registrationRateLimit(10_000, 10_000)
          // Every test client speaks from 127.0.0.1: as generous as the rate limits above.
          .maxRequestsInFlight(200, 200)
          .shared(sharedStore());
      customizer.accept(builder);
      server = builder.build().start();
      port = server.port();
    } catch (IOException e) {
      throw new UncheckedIOException("the control plane server did not start", e);
    }
  }

  /** Whether this JVM's server tests run on PostgreSQL (see the class comment). */
  public static boolean postgresStore() {
    return "postgresql".equals(System.getProperty("partynet.test.store")) || sharedStore();
  }

  /** Whether this JVM's server tests run with {@code --shared} on PostgreSQL (see the class comment). */
  public static boolean sharedStore() {
    return "postgresql-shared".equals(System.getProperty("partynet.test.store"));
  }

  private StoreLocation storeLocation() {
    if (!postgresStore()) {
      return new StoreLocation.Sqlite(database());
    }
    PostgresCluster cluster = PostgresCluster.shared();
    if (postgresDatabase == null) {
      postgresDatabase = cluster.createDatabase();
    }
    return new StoreLocation.Postgres(cluster.jdbcUrl(postgresDatabase), PostgresCluster.USER, null, 4);
  }

  /** Where the server keeps its SQLite database (unused when {@link #postgresStore()}). */
  public synchronized Path database() {
    return database != null ? database : dir.resolve("server.db");
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  /** Stops the server and deletes its database. */
  @Override
  public synchronized void close() {
    stop();
    port = 0;
    if (postgresDatabase != null) {
      PostgresCluster.shared().dropDatabase(postgresDatabase);
      postgresDatabase = null;
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a leftover temp directory is harmless
      }
      dir = null;
    }
  }
}
