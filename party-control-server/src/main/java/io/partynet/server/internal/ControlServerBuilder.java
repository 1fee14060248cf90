package io.partynet.server.internal;

import io.partynet.IpPrefix;
import io.partynet.core.internal.registry.RegistrySettings;
import io.partynet.server.internal.http.IceServers;
import io.partynet.server.internal.store.StoreLocation;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The options of a {@link ControlServer} ({@link ControlServer#builder()}): address, store,
 * registry limits, rate limits, request bounds, TLS, ICE servers and the PostgreSQL modes; the
 * server reads them when it starts. Every option has a default. Not thread-safe.
 */
public final class ControlServerBuilder {
  String host = "0.0.0.0";
  int port = 8080;
  StoreLocation store = new StoreLocation.Sqlite(Path.of("party.db"));
  RegistrySettings registrySettings =
      new RegistrySettings(IpPrefix.parse("10.77.0.0/16"), 16, Duration.ofSeconds(90));
  Duration cleanupInterval = Duration.ofSeconds(60);
  Clock clock = Clock.systemUTC();
  LongSupplier nanos = System::nanoTime;
  int replayDepth = 256;
  double addressRate = 100;
  int addressBurst = 200;
  double peerRate = 20;
  int peerBurst = 40;
  double registrationRate = 1;
  int registrationBurst = 20;
  boolean trustProxy;
  Duration bodyTimeout = Duration.ofSeconds(5);
  Duration registrationTtl = Duration.ofDays(30);
  int maxRegistrations = 100_000;
  int maxRequestsPerAddress = 32;
  int maxRequests = 160;
  Path keystore;
  String keystorePassword;
  IceServers iceServers = IceServers.none();
  boolean standby;
  boolean sharedDatabase;
  Runnable onLeaseLost = () -> {};

  ControlServerBuilder() {}

  /** The address to bind; default all interfaces. */
  public ControlServerBuilder host(String v) { host = Objects.requireNonNull(v, "host"); return this; }
  /** The port; 0 picks a free one (see {@link ControlServer#port()}). */
  public ControlServerBuilder port(int v) {
    if (v < 0 || v > 65535) {
      throw new IllegalArgumentException("port must be 0..65535: " + v);
    }
    port = v;
    return this;
  }
  /** The SQLite database file; created when absent. Same as {@code store(new StoreLocation.Sqlite(v))}. */
  public ControlServerBuilder database(Path v) { return store(new StoreLocation.Sqlite(v)); }
  /** Where state is kept: an SQLite file (default {@code party.db}) or a PostgreSQL database. */
  public ControlServerBuilder store(StoreLocation v) { store = Objects.requireNonNull(v, "store"); return this; }
  /** The store chosen so far. */
  public StoreLocation storeLocation() { return store; }
  /** Subnet, party size limit and stale timeout of the registry. */
  public ControlServerBuilder registrySettings(RegistrySettings v) { registrySettings = Objects.requireNonNull(v, "settings"); return this; }
  public ControlServerBuilder cleanupInterval(Duration v) { cleanupInterval = positive(v, "cleanup interval"); return this; }
  /** Wall clock for the registry (join times, heartbeats); tests pass a controllable one. */
  public ControlServerBuilder clock(Clock v) { clock = Objects.requireNonNull(v, "clock"); return this; }
  /** Monotonic nanoseconds for rate limits. */
  public ControlServerBuilder nanos(LongSupplier v) { nanos = Objects.requireNonNull(v, "nanos"); return this; }
  /** Events kept per party for clients that reconnect. */
  public ControlServerBuilder replayDepth(int v) { replayDepth = v; return this; }
  /** Requests per second (and burst) allowed from one client address. */
  public ControlServerBuilder addressRateLimit(double perSecond, int burst) { addressRate = perSecond; addressBurst = burst; return this; }
  /** Requests per second (and burst) allowed for one peer's token. */
  public ControlServerBuilder peerRateLimit(double perSecond, int burst) { peerRate = perSecond; peerBurst = burst; return this; }
  /** Registrations per second (and burst) allowed from one client address. */
  public ControlServerBuilder registrationRateLimit(double perSecond, int burst) {
    registrationRate = perSecond;
    registrationBurst = burst;
    return this;
  }
  /** Take the client address from the last X-Forwarded-For hop (only behind a reverse proxy you run). */
  public ControlServerBuilder trustProxy(boolean v) { trustProxy = v; return this; }
  /**
   * On PostgreSQL, wait in {@link ControlServer#start()} until the active instance stops, then take
   * over (without it, start fails while another instance is active).
   */
  public ControlServerBuilder standby(boolean v) { standby = v; return this; }
  /**
   * Serve the PostgreSQL database together with any number of other instances started so: party
   * changes become database transactions and events reach every instance (see docs/server.md).
   */
  public ControlServerBuilder shared(boolean v) { sharedDatabase = v; return this; }
  /** Runs after the server stopped because it lost its PostgreSQL instance lease (the command line exits 1). */
  public ControlServerBuilder onLeaseLost(Runnable v) { onLeaseLost = Objects.requireNonNull(v, "onLeaseLost"); return this; }
  /** A registration whose token was not used for this long, by a peer in no party, is forgotten. */
  public ControlServerBuilder registrationTtl(Duration v) { registrationTtl = positive(v, "registration TTL"); return this; }
  /** The most registrations the server holds; beyond it registering answers 503 until some expire. */
  public ControlServerBuilder maxRegistrations(int v) {
    if (v < 1) {
      throw new IllegalArgumentException("maxRegistrations must be >= 1: " + v);
    }
    maxRegistrations = v;
    return this;
  }
  /** How long a request body may take to arrive in full; the connection is closed after that. */
  public ControlServerBuilder bodyTimeout(Duration v) { bodyTimeout = positive(v, "body timeout"); return this; }
  /**
   * Requests in flight at once from one client address, and in total (below Jetty's 250
   * threads, so a flood never takes every thread); beyond them the server answers 429 or 503.
   */
  public ControlServerBuilder maxRequestsInFlight(int perAddress, int total) {
    if (perAddress < 1 || total < perAddress || total > 200) {
      throw new IllegalArgumentException("need 1 <= per address <= total <= 200: " + perAddress + ", " + total);
    }
    maxRequestsPerAddress = perAddress;
    maxRequests = total;
    return this;
  }
  /** Serve HTTPS/WSS with the key and certificate in this PKCS#12 or JKS keystore. */
  public ControlServerBuilder tls(Path keystorePath, String password) {
    keystore = Objects.requireNonNull(keystorePath, "keystorePath");
    keystorePassword = Objects.requireNonNull(password, "password");
    return this;
  }

  /** The STUN and TURN servers (with the TURN secret) handed out on {@code GET /v1/ice-servers}. */
  public ControlServerBuilder iceServers(IceServers v) { iceServers = Objects.requireNonNull(v, "iceServers"); return this; }

  public ControlServer build() {
    return new ControlServer(check());
  }

  /** Refuses options that contradict each other; answers this builder. */
  public ControlServerBuilder check() {
    if (sharedDatabase && !(store instanceof StoreLocation.Postgres)) {
      throw new IllegalArgumentException("--shared needs a PostgreSQL --store (postgresql://...): several"
          + " instances cannot share an SQLite file; drop --shared to run one instance on " + store);
    }
    if (sharedDatabase && standby) {
      throw new IllegalArgumentException("--shared and --standby exclude each other: shared instances are all"
          + " active at once, so none needs to stand by");
    }
    return this;
  }

  private static Duration positive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + d);
    }
    return d;
  }
}
