package io.partynet.core.internal.manager;

import io.partynet.NotHostException;
import io.partynet.InviteOptions;
import io.partynet.Invite;
import io.partynet.BackendUnavailableException;
import io.partynet.ControlPlaneState;
import io.partynet.ControlPlaneUnavailableException;
import io.partynet.DiscoveryStats;
import io.partynet.InviteCode;
import io.partynet.Key;
import io.partynet.LeaveReason;
import io.partynet.NatType;
import io.partynet.Party;
import io.partynet.PartyConfig;
import io.partynet.PartyDatagramSocket;
import io.partynet.PartyException;
import io.partynet.PartyListener;
import io.partynet.PartyManager;
import io.partynet.PartyStatus;
import io.partynet.Peer;
import io.partynet.PortForward;
import io.partynet.spi.Backoff;
import io.partynet.spi.ControlPlane;
import io.partynet.spi.NatDetector;
import io.partynet.spi.NetworkBackend;
import io.partynet.spi.StatePersister;
import io.partynet.spi.UserspaceNetwork;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The party lifecycle of design.md section 4, as a facade over small parts: the
 * {@link ManagerWorker} orders every change (API calls, control-plane events, heartbeats,
 * monitoring ticks) on one thread; the {@link Membership} is the party state machine and
 * {@link MemberEvents} feeds it what the control plane reports; the {@link LocalEndpoint} knows
 * where others reach us; the {@link ConnectionLayer} of each party owns the interface, the paths
 * and the relay; the {@link StatusAssembler} answers {@link #status()}. Each blocking call on the
 * worker is bounded by the request timeout, and each future returned here by
 * {@value #OPERATION_STEPS} request timeouts (NAT detection, control plane, backend, slack).
 * {@link PartyListener} callbacks run on a separate event thread in the order the changes happened.
 *
 * <p>Thread-safe.
 */
public final class DefaultPartyManager implements PartyManager {
  /** How many request timeouts one API operation may take in total. */
  static final int OPERATION_STEPS = 4;
  /** How often links are checked and members pinged for latency. */
  static final Duration MONITOR_INTERVAL = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger(DefaultPartyManager.class);

  private final PartyConfig config;
  private final Duration requestTimeout;
  private final DataPlane dataPlane;
  private final MembershipStore store;
  private final String myPeerId;
  private final List<AutoCloseable> owned;
  private final EventDispatcher events;
  private final ManagerWorker worker;
  private final PeriodicScheduler scheduler;
  private final ControlPlane controlPlane;
  private final ControlPlaneSession session;
  /** The party persisted by the last run, resumed by {@link #start()}. */
  private final Optional<Party> persisted;
  private final LocalEndpoint local;
  private final Membership membership;
  private final MemberEvents memberEvents;
  private final StatusAssembler statusAssembler;
  private final List<AutoCloseable> schedules = new ArrayList<>();
  private volatile boolean closed;

  private DefaultPartyManager(Builder b) {
    config = Objects.requireNonNull(b.config, "config");
    requestTimeout = config.requestTimeout();
    dataPlane = Objects.requireNonNull(b.dataPlane, "network: call network(...) or networkOff()");
    Objects.requireNonNull(b.privateKey, "keys");
    Objects.requireNonNull(b.publicKey, "keys");
    Objects.requireNonNull(b.controlPlane, "controlPlane");
    store = new MembershipStore(Objects.requireNonNull(b.persister, "persister"));
    myPeerId = store.peerId();
    owned = new ArrayList<>(b.owned);
    scheduler = b.scheduler != null ? b.scheduler : PeriodicScheduler.daemon("partynet-heartbeat");
    if (b.scheduler == null) {
      owned.add(scheduler);
    }
    events = new EventDispatcher("partynet-events", b.listeners);
    worker = new ManagerWorker("partynet-manager", requestTimeout.multipliedBy(OPERATION_STEPS));
    ControlPlaneConnector.Connected connected;
    try {
      local = new LocalEndpoint(config, b.natDetector, dataPlane.isOff(), b.clock, worker::enqueue);
      persisted = store.party();
      connected = b.controlPlane.connect(myPeerId, b.publicKey, requestTimeout, persisted.map(p -> store.partyPlane()));
    } catch (RuntimeException e) {
      closeOwned();
      events.close();
      worker.close();
      throw e;
    }
    controlPlane = connected.plane();
    local.connectedTo(controlPlane);
    connected.fallbackDetail().ifPresent(detail ->
        events.emit("onControlPlaneChanged", l -> l.onControlPlaneChanged(controlPlane.name(), detail)));
    session = new ControlPlaneSession(controlPlane, connected.unreachable(), myPeerId, b.publicKey, requestTimeout,
        events);
    SecureRandom random = new SecureRandom();
    ConnectionLayer.Parts parts = new ConnectionLayer.Parts(config, dataPlane, controlPlane, worker, local,
        b.privateKey, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Backoff.Jitter.FULL, random::nextDouble), b.clock);
    membership = new Membership(parts, session, store, events, myPeerId, b.publicKey);
    local.whenLearned(membership::localLearned);
    memberEvents = new MemberEvents(membership, session, events, myPeerId);
    statusAssembler = new StatusAssembler(myPeerId, dataPlane, controlPlane::name, local, b.clock);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Listens to the control plane on the worker, starts heartbeats and monitoring, and resumes a
   * persisted party: its interface and known members come up before this returns (from the
   * persisted state, whatever the control plane does), the rejoin follows in the background.
   */
  private void start() {
    controlPlane.addListener(memberEvents, worker.events());
    schedules.add(scheduler.schedule(config.heartbeatInterval(),
        () -> worker.enqueue("heartbeat", membership::heartbeat)));
    schedules.add(scheduler.schedule(MONITOR_INTERVAL,
        () -> worker.enqueue("connection monitoring", membership::monitor)));
    if (persisted.isPresent()) {
      Party party = persisted.get();
      int prefixLength = store.prefixLength().orElse(config.virtualSubnet().prefixLength());
      try {
        worker.submitAsync("restoring party " + party.id(), () -> {
          membership.restore(party, prefixLength);
          return CompletableFuture.completedFuture(null);
        }).join();
      } catch (RuntimeException e) {
        LOG.warn("restoring party {} from the persisted state failed ({}); resuming it anyway", party.id(),
            e.toString());
      }
      worker.enqueue("resume", membership::resume);
    }
  }

  // ---------------------------------------------------------------- API

  @Override
  public CompletableFuture<Party> create(String partyName) {
    return worker.submitAsync("creating party '" + partyName + "'", () -> membership.create(partyName));
  }

  @Override
  public CompletableFuture<Party> join(String inviteCode, String peerName) {
    String code;
    try {
      code = InviteCode.normalize(inviteCode);
    } catch (PartyException e) {
      return CompletableFuture.failedFuture(e);
    }
    return worker.submitAsync("joining party " + code, () -> membership.join(code, peerName));
  }

  /**
   * Answered at once on the caller's thread from what this member knows (the membership, the
   * backend's counters, the connection layer): it never waits for the worker or the network.
   */
  @Override
  public CompletableFuture<PartyStatus> status() {
    if (closed) {
      return CompletableFuture.failedFuture(ManagerWorker.closedError());
    }
    try {
      return CompletableFuture.completedFuture(statusAssembler.assemble(membership.requireParty(),
          membership.links(), membership.lastSeen()));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(Futures.toPartyException(e, "reading the party status"));
    }
  }

  @Override
  public CompletableFuture<Double> ping(String peerId, Duration timeout) {
    return worker.submitAsync("pinging a member", () -> {
      Party current = membership.requireParty();
      Peer peer = current.peers().get(peerId);
      if (peer == null || peer.id().equals(myPeerId) || peer.virtualIp() == null) {
        throw PartyException.of(PartyException.Reason.PEER_NOT_FOUND,
            "No other member with that id in party " + current.id() + ": check status() for member ids");
      }
      ConnectionLayer links = membership.links();
      if (links == null) {
        throw PartyException.of(PartyException.Reason.BACKEND_UNAVAILABLE,
            "The party's network is not up yet (resuming); try again in a moment");
      }
      return links.ping(peer, timeout);
    });
  }

  @Override
  public CompletableFuture<Void> leave() {
    return worker.submitAsync("leaving the party", membership::leave);
  }

  @Override
  public CompletableFuture<Void> kick(String peerId) {
    return worker.submitAsync("kicking " + peerId, () -> {
      String partyId = membership.requireParty().id();
      return membership.kick(peerId, () -> memberEvents.onPeerLeft(partyId, peerId, LeaveReason.KICKED));
    });
  }

  @Override
  public CompletableFuture<Invite> createInvite(InviteOptions options) {
    Objects.requireNonNull(options, "options");
    return worker.submitAsync("issuing an invite code", () -> {
      Party current = requireHostedParty();
      return Futures.bounded(controlPlane.createInvite(current.id(), myPeerId, options), requestTimeout,
          "issuing an invite code");
    });
  }

  @Override
  public CompletableFuture<Void> revokeInvite(String code) {
    String normalized;
    try {
      normalized = InviteCode.normalize(code);
    } catch (PartyException e) {
      return CompletableFuture.failedFuture(e);
    }
    return worker.submitAsync("revoking invite code " + normalized, () -> {
      Party current = requireHostedParty();
      return Futures.bounded(controlPlane.revokeInvite(current.id(), myPeerId, normalized), requestTimeout,
          "revoking invite code " + normalized);
    });
  }

  private Party requireHostedParty() {
    Party current = membership.requireParty();
    if (!current.isHost(myPeerId)) {
      throw new NotHostException(current.id());
    }
    return current;
  }

  @Override
  public PartyDatagramSocket openDatagramSocket(int port) throws IOException {
    return userspaceNetwork().openDatagramSocket(port);
  }

  @Override
  public PortForward forwardUdp(int loopbackPort, String virtualIp, int port) throws IOException {
    return userspaceNetwork().forwardUdp(loopbackPort, virtualIp, port);
  }

  @Override
  public Optional<Party> currentParty() {
    return Optional.ofNullable(membership.party());
  }

  @Override
  public String myPeerId() {
    return myPeerId;
  }

  @Override
  public NatType natType() {
    return local.natType();
  }

  @Override
  public Optional<DiscoveryStats> discoveryStats() {
    if (membership.party() == null) {
      return Optional.empty();
    }
    ConnectionLayer layer = membership.links();
    return Optional.of(layer == null ? DiscoveryStats.off() : layer.discoveryStats());
  }

  @Override
  public io.partynet.spi.PartyNetwork network() {
    membership.requireParty();
    if (dataPlane.isOff()) {
      throw new BackendUnavailableException("The network is off (network.backend=off): this member has "
          + "membership only. Pick a network backend to expose or forward ports.");
    }
    return dataPlane.partyNetwork().orElseThrow(() -> new BackendUnavailableException("The " + dataPlane.name()
        + " backend does not implement the party network yet: bind ordinary sockets to your virtual IP."));
  }

  @Override
  public ControlPlaneState controlPlaneState() {
    return session.state();
  }

  /** The control plane in use (after a fallback, the local one). */
  public String controlPlaneName() {
    return controlPlane.name();
  }

  /** The network backend in use, or {@code "off"}. */
  public String networkName() {
    return dataPlane.name();
  }

  @Override
  public void addListener(PartyListener listener) {
    events.add(listener);
  }

  @Override
  public void removeListener(PartyListener listener) {
    events.remove(listener);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    schedules.forEach(DefaultPartyManager::closeQuietly);
    controlPlane.removeListener(memberEvents);
    worker.close(requestTimeout.multipliedBy(2));
    Party current = membership.party();
    if (current != null) {
      membership.disconnect(current);
    }
    dataPlane.down();
    store.flush(requestTimeout);
    events.close(requestTimeout);
    closeOwned();
  }

  private UserspaceNetwork userspaceNetwork() {
    Party current = membership.requireParty();
    if (dataPlane.isOff()) {
      throw new BackendUnavailableException("The network is off (network.backend=off): this member has "
          + "membership only. Pick a network backend to send datagrams.");
    }
    return dataPlane.userspace().orElseThrow(() -> new BackendUnavailableException("The " + dataPlane.name()
        + " backend gives the operating system a real interface: use an ordinary java.net.DatagramSocket "
        + "bound to your virtual IP " + current.peers().get(myPeerId).virtualIp() + " instead."));
  }

  private void closeOwned() {
    for (int i = owned.size() - 1; i >= 0; i--) {
      closeQuietly(owned.get(i));
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.warn("closing {} failed: {}", closeable.getClass().getSimpleName(), e.toString());
    }
  }

  /**
   * Wires a manager from explicit parts; {@link DefaultPartyManagerFactory} fills them from the
   * configuration. Not thread-safe.
   */
  public static final class Builder {
    private PartyConfig config;
    private Clock clock = Clock.systemUTC();
    private StatePersister persister;
    private ControlPlaneConnector controlPlane;
    private DataPlane dataPlane;
    private NatDetector natDetector;
    private Key privateKey;
    private Key publicKey;
    private PeriodicScheduler scheduler;
    private final List<PartyListener> listeners = new ArrayList<>();
    private final List<AutoCloseable> owned = new ArrayList<>();

    private Builder() {}

    public Builder config(PartyConfig v) { config = v; return this; }
    public Builder clock(Clock v) { clock = v; return this; }
    public Builder statePersister(StatePersister v) { persister = v; return this; }

    /** Uses {@code v}, started by the manager; there is no fallback. */
    public Builder controlPlane(ControlPlane v) { controlPlane = ControlPlaneConnector.only(v); return this; }

    /** Lets {@code v} decide which control plane the manager uses (the factory's fallback). */
    Builder controlPlane(ControlPlaneConnector v) { controlPlane = v; return this; }

    /** Uses backends named {@code name} from {@code backends}, one new instance per party, closed when it ends. */
    public Builder network(String name, Supplier<NetworkBackend> backends) {
      dataPlane = DataPlane.of(name, backends);
      return this;
    }

    /** Uses {@code backend} for every party and never closes it: it belongs to whoever passed it in. */
    public Builder borrowedNetwork(NetworkBackend backend) {
      dataPlane = DataPlane.borrowed(backend);
      return this;
    }

    /** Runs membership only: no interface, status reports network "off". */
    public Builder networkOff() { dataPlane = DataPlane.off(); return this; }

    /** Null means "no detector": the member runs relay-only with NAT type UNKNOWN. */
    public Builder natDetector(NatDetector v) { natDetector = v; return this; }

    /** The member's WireGuard key pair; the private key only ever goes to the network backend. */
    public Builder keys(Key privateKey, Key publicKey) {
      this.privateKey = privateKey;
      this.publicKey = publicKey;
      return this;
    }

    /** Drives heartbeats; default one daemon thread. Tests pass a manual one. */
    public Builder scheduler(PeriodicScheduler v) { scheduler = v; return this; }
    public Builder listener(PartyListener v) { listeners.add(Objects.requireNonNull(v, "listener")); return this; }
    public Builder listeners(List<PartyListener> v) { v.forEach(this::listener); return this; }

    /** Closes {@code resource} when the manager closes (things the factory created for it). */
    public Builder owning(AutoCloseable resource) { owned.add(resource); return this; }

    /**
     * Builds the manager, connects it to the control plane and starts resuming any persisted party
     * in the background.
     *
     * @throws ControlPlaneUnavailableException when the control plane cannot be reached, no
     *     fallback applies and there is no persisted party (a persisted party is kept: the manager
     *     starts and reconnects)
     */
    public DefaultPartyManager build() {
      DefaultPartyManager manager = new DefaultPartyManager(this);
      manager.start();
      return manager;
    }
  }
}
