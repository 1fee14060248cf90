package io.partynet.server.internal.store;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Which database the server keeps its state in: {@code sqlite:PATH} (one embedded file, the
 * default) or {@code postgresql://USER@HOST[:PORT]/DATABASE[?PARAMS]} (several server instances
 * may share one). A PostgreSQL password never travels in the location (that would put it in
 * {@code ps} and in shell histories): it comes from a file or the environment, see {@code ServerMain}.
 */
public sealed interface StoreLocation {

  /** Opens the store, creating or upgrading its schema. */
  ServerStore open() throws IOException;

  /** An SQLite file, created (mode 0600) when absent. */
  record Sqlite(Path file) implements StoreLocation {
    public Sqlite {
      Objects.requireNonNull(file, "file");
    }

    @Override
    public ServerStore open() throws IOException {
      return SqliteStore.open(file);
    }
  }

  /**
   * A PostgreSQL database reached with {@code jdbcUrl}; {@code password} may be null (trust or
   * peer authentication). {@code poolSize} connections at most.
   */
  record Postgres(String jdbcUrl, String user, String password, int poolSize) implements StoreLocation {
    public Postgres {
      Objects.requireNonNull(jdbcUrl, "jdbcUrl");
      Objects.requireNonNull(user, "user");
      if (poolSize < 1 || poolSize > 100) {
        throw new IllegalArgumentException("the database pool size must be 1..100: " + poolSize);
      }
    }

    /** The same database with another pool size. */
    public Postgres withPoolSize(int size) {
      return new Postgres(jdbcUrl, user, password, size);
    }

    @Override
    public ServerStore open() throws IOException {
      return PostgresStore.open(this);
    }

    /**
     * A connection of its own, outside the pool, for a session that must stay one session (an
     * advisory lock, LISTEN); network timeouts keep a dead database from hanging its user.
     */
    public java.sql.Connection connect(String applicationName) throws java.sql.SQLException {
      java.util.Properties props = new java.util.Properties();
      props.setProperty("user", user);
      if (password != null) {
        props.setProperty("password", password);
      }
      props.setProperty("connectTimeout", "5");
      props.setProperty("socketTimeout", "10");
      props.setProperty("ApplicationName", applicationName);
      return java.sql.DriverManager.getConnection(jdbcUrl, props);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
      return "Postgres[" + jdbcUrl + " user=" + user + (password == null ? "" : " password=***") + "]";
    }
  }

  /**
   * Parses {@code sqlite:PATH} or {@code postgresql://USER@HOST[:PORT]/DATABASE[?PARAMS]} ({@code
   * postgres://} too); {@code password} is the PostgreSQL password from a file or the environment,
   * or null. Refuses a password inside the text.
   */
  static StoreLocation parse(String text, String password) {
    if (text.startsWith("sqlite:")) {
      String file = text.substring("sqlite:".length());
      if (file.isBlank()) {
        throw new IllegalArgumentException("--store sqlite:PATH needs a file path");
      }
      return new Sqlite(Path.of(file));
    }
    if (!text.startsWith("postgresql://") && !text.startsWith("postgres://")) {
      throw new IllegalArgumentException("--store needs sqlite:PATH or postgresql://USER@HOST[:PORT]/DATABASE, not "
          + redacted(text));
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--store: malformed PostgreSQL URL " + redacted(text));
    }
    String userInfo = uri.getRawUserInfo();
    String query = uri.getRawQuery();
    if ((userInfo != null && userInfo.contains(":")) || (query != null && query.toLowerCase().contains("password="))) {
      throw new IllegalArgumentException("--store: put the database password in --store-password-file FILE or "
          + "the environment variable PARTYNET_DB_PASSWORD, never in the URL (it would show in ps)");
    }
    if (userInfo == null || userInfo.isEmpty()) {
      throw new IllegalArgumentException("--store: name the database user, postgresql://USER@HOST/DATABASE");
    }
    String database = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (uri.getHost() == null || database.length() < 2) {
      throw new IllegalArgumentException("--store: the PostgreSQL URL needs a host and a database: " + redacted(text));
    }
    String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
        + database + (query == null ? "" : "?" + query);
    return new Postgres(jdbc, userInfo, password, 10);
  }

  /** The text without anything between "//" and "@", for error messages. */
  private static String redacted(String text) {
    return text.replaceAll("//[^/@]*@", "//***@");
  }
}
