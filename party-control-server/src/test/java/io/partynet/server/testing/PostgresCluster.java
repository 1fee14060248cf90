package io.partynet.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL cluster from the Debian {@code postgresql} package, for tests: initdb in a
 * temporary directory, listening on loopback only at a free port, trust authentication for the
 * user {@code party}; one per JVM ({@link #shared()}), stopped and deleted when the JVM exits.
 * PostgreSQL refuses to run as root, so as root the cluster runs as the package's {@code postgres}
 * user (the recipe in shared/brief/components.md). Each test takes a database of its own
 * ({@link #createDatabase()}), so tests stay independent without a cluster each.
 *
 * <p>Where the binaries are missing, {@link #shared()} skips the test with a message, except in
 * CI (environment {@code CI} set), where it fails: {@code .ci/run} installs the package.
 */
public final class PostgresCluster implements AutoCloseable {
  public static final String USER = "party";
  private static PostgresCluster shared;

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asPostgresUser;

  private PostgresCluster(Path bin, Path dir, int port, boolean asPostgresUser) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asPostgresUser = asPostgresUser;
  }

  /** The JVM's cluster, started on first use. */
  public static synchronized PostgresCluster shared() {
    if (shared == null) {
      Path bin = binaries().orElse(null);
      if (bin == null) {
        String why = "PostgreSQL binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)";
        if (System.getenv("CI") != null) {
          throw new IllegalStateException(why + ": CI must have them (.ci/run installs postgresql)");
        }
        Assumptions.abort(why + "; test skipped");
      }
      shared = start(bin);
      PostgresCluster cluster = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "postgres-cluster-stop"));
    }
    return shared;
  }

  /** The newest installed server's bin directory, if any. */
  public static Optional<Path> binaries() {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparingInt(b -> versionOf(b.getParent().getFileName().toString())));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int versionOf(String name) {
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static PostgresCluster start(Path bin) {
    boolean root = "root".equals(System.getProperty("user.name"));
    try {
      Path dir = Files.createTempDirectory("partynet-pg");
      if (root) {
        UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        Files.setOwner(dir, postgres);
      }
      PostgresCluster cluster = new PostgresCluster(bin, dir, freePort(), root);
      cluster.run(60, "initdb", "-D", dir.resolve("data").toString(), "-U", USER, "--auth=trust", "-E", "UTF8",
          "--no-sync", "--no-instructions");
      cluster.run(60, "pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(), "-w",
          "-t", "30", "-o", "-k " + dir + " -p " + cluster.port
              + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300", "start");
      return cluster;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a throwaway PostgreSQL cluster", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void run(int timeoutSeconds, String program, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    if (asPostgresUser) {
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.add(bin.resolve(program).toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(program + " did not finish within " + timeoutSeconds + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted while running " + program, e);
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(program + " failed (exit " + p.exitValue() + "): " + output + logTail());
    }
  }

  private String logTail() {
    try {
      String log = Files.readString(dir.resolve("log"));
      return "\nserver log:\n" + log.substring(Math.max(0, log.length() - 2000));
    } catch (IOException e) {
      return "";
    }
  }

  public int port() {
    return port;
  }

  /** {@code jdbc:postgresql://127.0.0.1:PORT/DATABASE}. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** {@code postgresql://party@127.0.0.1:PORT/DATABASE}, the server's {@code --store} form. */
  public String storeUrl(String database) {
    return "postgresql://" + USER + "@127.0.0.1:" + port + "/" + database;
  }

  /** A new empty database with a random name; returns the name. */
  public String createDatabase() {
    String name = "t" + HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
    admin("CREATE DATABASE " + name);
    return name;
  }

  /** Drops a database, ending its connections. */
  public void dropDatabase(String name) {
    admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  /** Runs {@code sql} in the database {@code name} as the cluster's superuser. */
  public void execute(String name, String sql) {
    try (Connection c = DriverManager.getConnection(jdbcUrl(name), USER, null);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL refused: " + sql + ": " + e.getMessage(), e);
    }
  }

  private void admin(String sql) {
    execute("postgres", sql);
  }

  /** Stops the cluster (fast shutdown) and deletes its directory. */
  @Override
  public synchronized void close() {
    try {
      run(60, "pg_ctl", "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop");
    } catch (IOException e) {
      System.err.println("warning: the throwaway PostgreSQL cluster in " + dir + " did not stop: " + e.getMessage());
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp directory is harmless
    }
  }
}
