package io.partynet.core.internal.manager;

import io.partynet.InviteOptions;
import io.partynet.Invite;
import io.partynet.ControlPlaneState;
import io.partynet.DiscoveryStats;
import io.partynet.InviteCode;
import io.partynet.LeaveReason;
import io.partynet.NatType;
import io.partynet.Party;
import io.partynet.PartyConfig;
import io.partynet.PartyDatagramSocket;
import io.partynet.PartyException;
import io.partynet.PartyListener;
import io.partynet.PartyManager;
import io.partynet.PartyStatus;
import io.partynet.PortForward;
import io.partynet.spi.Backoff;
import io.partynet.spi.ControlPlane;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The party lifecycle of design.md section 4, as a facade over small parts: the
 * {@link ManagerWorker} orders every change (API calls, control-plane events, heartbeats,
 * monitoring ticks) on one thread; the {@link Membership} is the party state machine and
 * {@link MemberEvents} feeds it what the control plane reports, {@link PartyEntry} creates and
 * joins; the {@link LocalEndpoint} knows where others reach us; the {@link ConnectionLayer} of
 * each party owns the interface, the paths and the relay; the {@link StatusAssembler} answers
 * {@link #status()}, {@link HostInvites} issues invite codes and {@link PartyNetworkAccess} hands
 * the application the party's network. Each blocking call on the worker is bounded by the request
 * timeout, and each future returned here by
 * {@value #OPERATION_STEPS} request timeouts (NAT detection, control plane, backend, slack).
 * {@link PartyListener} callbacks run on a separate event thread in the order the changes happened.
 *
 * <p>Thread-safe.
 */
public final class DefaultPartyManager implements PartyManager {
  /** How many request timeouts one API operation may take in total. */
  static final int OPERATION_STEPS = 4;
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
  private final PartyEntry entry;
  private final MemberEvents memberEvents;
  private final HostInvites invites;
  private final PartyNetworkAccess network;
  private final StatusAssembler statusAssembler;
  /** Null until {@link #start()}. */
  private ManagerTicks ticks;
  private volatile boolean closed;

  private DefaultPartyManager(DefaultPartyManagerBuilder b) {
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
    ManagerParts parts = new ManagerParts(config, dataPlane, controlPlane, worker, local,
        b.privateKey, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Backoff.Jitter.FULL, random::nextDouble), b.clock);
    membership = new Membership(parts, session, store, events, myPeerId);
    entry = new PartyEntry(membership, parts, session, myPeerId, b.publicKey);
    local.whenLearned(membership::localLearned);
    memberEvents = new MemberEvents(membership, session, events, myPeerId);
    invites = new HostInvites(membership, controlPlane, myPeerId, requestTimeout);
    network = new PartyNetworkAccess(membership, dataPlane, myPeerId);
    statusAssembler = new StatusAssembler(myPeerId, dataPlane, controlPlane::name, local, b.clock);
  }

  public static DefaultPartyManagerBuilder builder() {
    return new DefaultPartyManagerBuilder();
  }

  /** Builds the manager, connects it to the control plane and starts it ({@link DefaultPartyManagerBuilder#build}). */
  static DefaultPartyManager buildAndStart(DefaultPartyManagerBuilder parts) {
    DefaultPartyManager manager = new DefaultPartyManager(parts);
    manager.start();
    return manager;
  }

  /**
   * Listens to the control plane on the worker, starts heartbeats and monitoring, and resumes a
   * persisted party: its interface and known members come up before this returns (from the
   * persisted state, whatever the control plane does), the rejoin follows in the background.
   */
  private void start() {
    controlPlane.addListener(memberEvents, worker.events());
    ticks = new ManagerTicks(scheduler, config.heartbeatInterval(), worker, entry, membership);
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
    return worker.submitAsync("creating party '" + partyName + "'", () -> entry.create(partyName));
  }

  @Override
  public CompletableFuture<Party> join(String inviteCode, String peerName) {
    String code;
    try {
      code = InviteCode.normalize(inviteCode);
    } catch (PartyException e) {
      return CompletableFuture.failedFuture(e);
    }
    return worker.submitAsync("joining party " + code, () -> entry.join(code, peerName));
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
    return worker.submitAsync("pinging a member", () -> network.ping(peerId, timeout));
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
    return worker.submitAsync("issuing an invite code", () -> invites.create(options));
  }

  @Override
  public CompletableFuture<Void> revokeInvite(String code) {
    String normalized;
    try {
      normalized = InviteCode.normalize(code);
    } catch (PartyException e) {
      return CompletableFuture.failedFuture(e);
    }
    return worker.submitAsync("revoking invite code " + normalized, () -> invites.revoke(normalized));
  }

  @Override
  public PartyDatagramSocket openDatagramSocket(int port) throws IOException {
    return network.userspace().openDatagramSocket(port);
  }

  @Override
  public PortForward forwardUdp(int loopbackPort, String virtualIp, int port) throws IOException {
    return network.userspace().forwardUdp(loopbackPort, virtualIp, port);
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
    return network.discoveryStats();
  }

  @Override
  public io.partynet.spi.PartyNetwork network() {
    return network.partyNetwork();
  }

  @Override
  public io.partynet.SocksProxy socksProxy(int loopbackPort) throws java.io.IOException {
    network(); // fails now, with the reason, when there is no party network to carry connections
    return io.partynet.core.internal.socks.SocksProxyServer.start(this::network, network::virtualIpsNamed, loopbackPort,
        io.partynet.core.internal.socks.SocksProxyServer.Limits.DEFAULT);
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
    if (ticks != null) {
      ticks.close();
    }
    controlPlane.removeListener(memberEvents);
    worker.close(requestTimeout.multipliedBy(2));
    // Before the control plane closes: a leave() just made is still being told to it.
    membership.awaitLeaveNotice(requestTimeout);
    Party current = membership.party();
    if (current != null) {
      membership.disconnect(current);
    }
    dataPlane.down();
    store.flush(requestTimeout);
    events.close(requestTimeout);
    closeOwned();
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
}
