package io.partynet.server.internal;

import io.javalin.Javalin;
import io.partynet.core.internal.registry.CleanupReport;
import io.partynet.core.internal.registry.PartyRegistry;
import io.partynet.server.internal.accounts.Accounts;
import io.partynet.server.internal.accounts.PeerAccounts;
import io.partynet.server.internal.accounts.RegistrationChallenges;
import io.partynet.server.internal.accounts.SharedAccounts;
import io.partynet.server.internal.events.EventHub;
import io.partynet.server.internal.events.EventSocket;
import io.partynet.server.internal.http.BodyReader;
import io.partynet.server.internal.http.HttpFrontEnd;
import io.partynet.server.internal.http.RateLimiter;
import io.partynet.server.internal.http.RequestGate;
import io.partynet.server.internal.http.Routes;
import io.partynet.server.internal.http.ServerMetrics;
import io.partynet.server.internal.parties.Bans;
import io.partynet.server.internal.parties.JoinKeys;
import io.partynet.server.internal.parties.LocalParties;
import io.partynet.server.internal.parties.PartyOperations;
import io.partynet.server.internal.parties.RegistryPersistence;
import io.partynet.server.internal.parties.shared.SharedParties;
import io.partynet.server.internal.store.PostgresStore;
import io.partynet.server.internal.store.ServerStore;
import io.partynet.server.internal.store.StoreLocation;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PartyNet control plane server: protocol v1 over HTTP(S) and WebSocket on one port (Javalin
 * on Jetty), the party registry persisted in SQLite or PostgreSQL ({@link ServerStore}), a cleanup task for members whose heartbeats
 * stopped. {@link #start()} restores the database; {@link #close()} is the graceful shutdown: it
 * tells connected clients the server is going away, stops accepting requests and flushes state.
 *
 * <p>Thread-safe: start and close may be called from any thread, once each.
 */
public final class ControlServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

  private final ControlServerBuilder options;
  private ServerStore store;
  private PartyRegistry registry;
  private EventHub hub;
  private RegistryPersistence persistence;
  /** Set with {@code --shared}: party changes as transactions on the database other instances share. */
  private SharedParties shared;
  private Javalin app;
  private MaintenanceTasks maintenance;
  private BodyReader bodies;
  private RequestGate gate;
  private PeerAccounts accounts;
  private boolean started;
  private volatile boolean closed;
  private InstanceLease lease;
  private ServerMetrics metrics;
  /** Set when the instance lease was lost: another instance may be writing, so this one writes nothing more. */
  private volatile boolean leaseLost;

  ControlServer(ControlServerBuilder options) {
    this.options = options;
  }

  public static ControlServerBuilder builder() {
    return new ControlServerBuilder();
  }

  /**
   * Opens the database, restores parties and registrations, and starts listening. On PostgreSQL it
   * first takes the instance lease, waiting for it in standby mode; {@link #close()} ends the wait.
   */
  public ControlServer start() throws IOException {
    synchronized (this) {
      if (started) {
        throw new IllegalStateException("already started");
      }
      started = true;
    }
    InstanceLease taken = InstanceLease.forServer(options.store, options.sharedDatabase, options.standby,
        () -> closed, this::leaseLost);
    synchronized (this) {
      lease = taken;
      if (closed) {
        if (taken != null) {
          taken.close();
        }
        throw new IOException("the server was stopped before it started");
      }
      return startServing();
    }
  }

  private ControlServer startServing() throws IOException {
    store = options.store.open();
    registry = new PartyRegistry(options.registrySettings, options.clock, new SecureRandom());
    hub = new EventHub(registry, options.replayDepth);
    PartyOperations operations = options.sharedDatabase ? startShared() : startLocal();
    int parties = hub.partyCount();
    bodies = new BodyReader(options.bodyTimeout);
    gate = new RequestGate(options.maxRequestsPerAddress, options.maxRequests, options.trustProxy);
    Routes.Limits limits = new Routes.Limits(
        new RateLimiter(options.addressRate, options.addressBurst, options.nanos, 100_000),
        new RateLimiter(options.peerRate, options.peerBurst, options.nanos, 100_000),
        new RateLimiter(options.registrationRate, options.registrationBurst, options.nanos, 100_000),
        options.trustProxy, bodies);
    app = HttpFrontEnd.create(
        new HttpFrontEnd.Listener(options.host, options.port, options.keystore, options.keystorePassword), gate);
    RegistrationChallenges challenges = accounts instanceof SharedAccounts sharedAccounts
        ? RegistrationChallenges.fromDeploymentSecret(options.clock, Duration.ofMinutes(1), sharedAccounts.challengeSecret())
        : new RegistrationChallenges(options.clock, Duration.ofMinutes(1));
    metrics = shared != null ? ServerMetrics.of(hub::partyCount, hub::memberCount, hub, gate, store)
        : ServerMetrics.of(registry::partyCount, registry::peerCount, hub, gate, store);
    metrics.install(app);
    EventSocket.BeforeResume beforeResume = shared != null ? shared : EventSocket.BeforeResume.NOTHING;
    new Routes(new Routes.Services(operations, hub, beforeResume, accounts, challenges, options.iceServers,
        options.clock, store), limits).install(app);
    app.start(options.host, options.port);
    maintenance = new MaintenanceTasks(options.cleanupInterval, this::cleanupNow,
        shared == null ? persistence::flush : null, this::expireRegistrationsNow);
    LOG.atInfo().setMessage("control plane server started").addKeyValue("port", port())
        .addKeyValue("tls", options.keystore != null).addKeyValue("store", store.describe())
        .addKeyValue("shared", options.sharedDatabase)
        .addKeyValue("parties", parties).addKeyValue("peers", accounts.size()).log();
    return this;
  }

  /** One active instance: the registry decides and is written through; restored from the store. */
  private PartyOperations startLocal() {
    persistence = new RegistryPersistence(registry, RegistryPersistence.Sequences.of(hub::seqOf, hub::restore), store, options.clock);
    boolean crashed = !store.takeCleanShutdown();
    int parties = persistence.restore(crashed);
    if (crashed) {
      LOG.atWarn().setMessage("the server did not stop cleanly last time; event sequence numbers moved forward"
          + " so clients resume with a snapshot").addKeyValue("parties", parties).log();
    }
    registry.addListener(hub);
    registry.addListener(persistence);
    Bans bans = new Bans(store);
    registry.addListener(bans);
    JoinKeys joinKeys = new JoinKeys(options.clock);
    registry.addListener(joinKeys);
    accounts = new Accounts(store, options.clock, options.maxRegistrations);
    return new LocalParties(registry, hub, persistence, bans, joinKeys);
  }

  /** One of several instances on a shared PostgreSQL database; registrations read from it too. */
  private PartyOperations startShared() throws IOException {
    PostgresStore postgres = (PostgresStore) store;
    SharedAccounts sharedAccounts = new SharedAccounts(postgres, options.clock, options.maxRegistrations);
    shared = SharedParties.start(postgres, (StoreLocation.Postgres) options.store, options.registrySettings,
        options.clock, hub, sharedAccounts::onTokenNotice);
    accounts = sharedAccounts;
    return shared;
  }

  /** The port actually listened on (useful with port 0). */
  public synchronized int port() {
    return ((ServerConnector) app.jettyServer().server().getConnectors()[0]).getLocalPort();
  }

  /** Runs the stale-member cleanup now (the scheduled task does the same). */
  public CleanupReport cleanupNow() {
    CleanupReport report = shared != null ? shared.cleanup() : registry.cleanup();
    metrics.cleanupRan();
    if (persistence != null) {
      persistence.flush();
    }
    if (!report.removedPeers().isEmpty() || !report.disbandedParties().isEmpty()) {
      LOG.atInfo().setMessage("cleanup removed stale members").addKeyValue("peers", report.removedPeers().size())
          .addKeyValue("disbandedParties", report.disbandedParties().size()).log();
    }
    return report;
  }

  /** When the server last heard from a member (heartbeat, update or join), if it is one. */
  public java.util.Optional<java.time.Instant> lastSeen(String partyId, String peerId) {
    return shared != null ? shared.lastSeen(partyId, peerId) : registry.lastSeen(partyId, peerId);
  }

  /** Requests being handled right now (health checks aside). */
  public int requestsInFlight() {
    return gate.inFlight();
  }

  /** The party as the registry holds it now, if it exists (for operators and tests). */
  public java.util.Optional<io.partynet.PartyInfo> party(String partyId) {
    if (shared != null) {
      shared.refresh(partyId);
      return hub.party(partyId);
    }
    return registry.getParty(partyId);
  }

  /** Counts for monitoring: parties, members, open event streams. */
  public record Stats(int parties, int peers, int eventStreams) {}

  public Stats stats() {
    return shared != null ? new Stats(hub.partyCount(), hub.memberCount(), hub.sessionCount())
        : new Stats(registry.partyCount(), registry.peerCount(), hub.sessionCount());
  }

  /** Forgets registrations unused for the registration TTL (see {@link Accounts#expire}); returns how many. */
  public int expireRegistrationsNow() {
    int expired = accounts.expire(options.registrationTtl, peerId -> !hub.partiesOf(peerId).isEmpty());
    if (expired > 0) {
      LOG.atInfo().setMessage("unused registrations expired").addKeyValue("count", expired).log();
    }
    return expired;
  }

  /**
   * Graceful shutdown: "going away" to every client, stop listening, flush, close the database.
   * Also releases whatever a failed {@link #start()} had opened.
   */
  @Override
  public synchronized void close() {
    if (!started || closed) {
      return;
    }
    closed = true;
    LOG.atInfo().setMessage("control plane server stopping")
        .addKeyValue("eventStreams", hub == null ? 0 : hub.sessionCount()).log();
    if (maintenance != null) {
      maintenance.close();
    }
    if (hub != null) {
      hub.goingAway("server shutting down", 2000);
    }
    if (app != null) {
      app.stop();
    }
    if (bodies != null) {
      bodies.close();
    }
    if (shared != null) {
      shared.close();
    }
    try {
      if (persistence != null && !leaseLost) {
        persistence.flush();
        accounts.saveUses();
        store.markCleanShutdown();
      } else if (shared != null && accounts != null) {
        accounts.saveUses();
      }
    } finally {
      if (store != null) {
        store.close();
      }
      if (lease != null) {
        lease.close();
      }
    }
    LOG.atInfo().setMessage("control plane server stopped").log();
  }

  /** The lease's connection failed: stop serving without writing anything more, then tell the owner. */
  private void leaseLost() {
    leaseLost = true;
    Thread stopper = new Thread(() -> {
      close();
      options.onLeaseLost.run();
    }, "partynet-server-lease-lost");
    stopper.start();
  }
}
