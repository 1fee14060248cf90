package io.partynet.core.internal.manager;

import io.partynet.BackendUnavailableException;
import io.partynet.ConnectionType;
import io.partynet.ControlPlaneUnavailableException;
import io.partynet.DisbandReason;
import io.partynet.Endpoint;
import io.partynet.InviteCode;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.LeaveReason;
import io.partynet.NatType;
import io.partynet.NotHostException;
import io.partynet.Party;
import io.partynet.PartyConfig;
import io.partynet.PartyDatagramSocket;
import io.partynet.PartyException;
import io.partynet.PartyInfo;
import io.partynet.PartyListener;
import io.partynet.PartyManager;
import io.partynet.PartyNotFoundException;
import io.partynet.PartyStatus;
import io.partynet.Peer;
import io.partynet.PeerStatus;
import io.partynet.PortForward;
import io.partynet.core.internal.connection.ConnectionManager;
import io.partynet.core.internal.connection.LinkSettings;
import io.partynet.core.internal.nat.turn.TurnRelay;
import io.partynet.core.internal.spi.PeerPresence;
import io.partynet.spi.ControlPlane;
import io.partynet.spi.ControlPlaneListener;
import io.partynet.spi.InterfaceConfig;
import io.partynet.spi.NatDetector;
import io.partynet.spi.NatReport;
import io.partynet.spi.NetworkBackend;
import io.partynet.spi.PeerStats;
import io.partynet.spi.Signal;
import io.partynet.spi.StatePersister;
import io.partynet.spi.UserspaceNetwork;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The party lifecycle of design.md section 4.
 *
 * <p>Every state change (an API call, a control-plane event, a heartbeat tick) runs on one worker
 * thread, one at a time, so the manager never sees two changes interleave; each blocking call it
 * makes there is bounded by the configured request timeout, and each future it returns is bounded
 * by {@value #OPERATION_STEPS} request timeouts (NAT detection, control plane, backend, slack).
 * {@link PartyListener} callbacks run on a separate event thread in the order the changes happened.
 *
 * <p>Thread-safe.
 */
public final class DefaultPartyManager implements PartyManager {
  /** How many request timeouts one API operation may take in total. */
  static final int OPERATION_STEPS = 4;
  /** How often links are checked and members pinged for latency. */
  static final Duration MONITOR_INTERVAL = Duration.ofSeconds(1);
  /** The UDP port on every member's virtual IP that answers latency probes ({@code party.probe-port}). */
  static final int DEFAULT_PROBE_PORT = 51899;
  /** An address to advertise with the listen port when STUN gives no mapping (LAN, loopback). */
  static final String ADVERTISE_ADDRESS = "network.advertise-address";
  private static final Logger LOG = LoggerFactory.getLogger(DefaultPartyManager.class);

  private final PartyConfig config;
  private final Clock clock;
  private final Duration requestTimeout;
  private final StatePersister persister;
  private final MembershipStore store;
  private final DataPlane dataPlane;
  private final NatDetector natDetector;
  private final Key privateKey;
  private final Key publicKey;
  private final String myPeerId;
  private final PeriodicScheduler scheduler;
  private final List<AutoCloseable> owned;
  private final EventDispatcher events;
  private final ExecutorService worker;
  private final ControlPlaneListener controlPlaneEvents = new ControlPlaneEvents();
  private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();

  private volatile ControlPlane controlPlane;
  private volatile NatType natType = NatType.UNKNOWN;
  private volatile Endpoint myEndpoint;
  private volatile Party party;
  /** The persisted or current party must be re-joined (after a restart, or when the plane dropped us). */
  private volatile boolean rejoinNeeded;
  private volatile boolean closed;
  private AutoCloseable heartbeats;
  private AutoCloseable monitoring;
  /** Non-null while the interface is up; worker thread only (status reads the volatile snapshot). */
  private volatile Connections connections;

  private DefaultPartyManager(Builder b) {
    config = Objects.requireNonNull(b.config, "config");
    clock = Objects.requireNonNull(b.clock, "clock");
    requestTimeout = config.requestTimeout();
    persister = Objects.requireNonNull(b.persister, "persister");
    store = new MembershipStore(persister);
    dataPlane = Objects.requireNonNull(b.dataPlane, "network: call network(...) or networkOff()");
    natDetector = b.natDetector;
    privateKey = Objects.requireNonNull(b.privateKey, "keys");
    publicKey = Objects.requireNonNull(b.publicKey, "keys");
    controlPlane = Objects.requireNonNull(b.controlPlane, "controlPlane");
    scheduler = b.scheduler != null ? b.scheduler : PeriodicScheduler.daemon("partynet-heartbeat");
    owned = new ArrayList<>(b.owned);
    if (b.scheduler == null) {
      owned.add(scheduler);
    }
    events = new EventDispatcher("partynet-events", b.listeners);
    worker = Executors.newSingleThreadExecutor(runnable -> {
      Thread t = new Thread(runnable, "partynet-manager");
      t.setDaemon(true);
      return t;
    });
    myPeerId = store.peerId();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Connects to the control plane (falling back to local when allowed), starts heartbeats, resumes. */
  private void start(Supplier<ControlPlane> localFallback) {
    try {
      connectControlPlane(localFallback);
    } catch (RuntimeException e) {
      closeOwned();
      events.close();
      worker.shutdownNow();
      throw e;
    }
    heartbeats = scheduler.schedule(config.heartbeatInterval(), () -> enqueue("heartbeat", this::heartbeatTick));
    monitoring = scheduler.schedule(MONITOR_INTERVAL, () -> enqueue("connection monitoring", this::monitorTick));
    Optional<Party> persisted = store.party();
    if (persisted.isPresent()) {
      party = persisted.get();
      rejoinNeeded = true;
      LOG.info("resuming party {} from the persisted state", party.id());
      enqueue("resume", this::resume);
    }
  }

  private void connectControlPlane(Supplier<ControlPlane> localFallback) {
    ControlPlane primary = controlPlane;
    try {
      Futures.await(primary.start(myPeerId, publicKey), requestTimeout, "connecting to the " + primary.name()
          + " control plane");
    } catch (PartyException e) {
      boolean unreachable = e instanceof ControlPlaneUnavailableException
          || e.reason() == PartyException.Reason.TIMEOUT;
      if (!unreachable || localFallback == null || !config.controlFallbackToLocal()
          || primary.name().equals("local")) {
        throw e;
      }
      String detail = "the " + primary.name() + " control plane is unreachable (" + e.getMessage()
          + "); continuing with the local control plane (set control.fallback-to-local=false to fail instead)";
      LOG.warn(detail);
      closeQuietly(primary);
      ControlPlane local = localFallback.get();
      owned.add(local);
      Futures.await(local.start(myPeerId, publicKey), requestTimeout, "starting the local control plane");
      controlPlane = local;
      events.emit("onControlPlaneChanged", l -> l.onControlPlaneChanged(local.name(), detail));
    }
    controlPlane.addListener(controlPlaneEvents);
  }

  // ---------------------------------------------------------------- API

  @Override
  public CompletableFuture<Party> create(String partyName) {
    return submit("creating party '" + partyName + "'", () -> doCreate(partyName));
  }

  @Override
  public CompletableFuture<Party> join(String inviteCode, String peerName) {
    String code;
    try {
      code = InviteCode.normalize(inviteCode);
    } catch (PartyException e) {
      return CompletableFuture.failedFuture(e);
    }
    return submit("joining party " + code, () -> doJoin(code, peerName));
  }

  @Override
  public CompletableFuture<PartyStatus> status() {
    return submit("reading the party status", this::doStatus);
  }

  @Override
  public CompletableFuture<Void> leave() {
    return submit("leaving the party", () -> {
      doLeave();
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> kick(String peerId) {
    return submit("kicking " + peerId, () -> {
      doKick(peerId);
      return null;
    });
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
    return Optional.ofNullable(party);
  }

  @Override
  public String myPeerId() {
    return myPeerId;
  }

  @Override
  public NatType natType() {
    return natType;
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
    closeQuietly(heartbeats);
    closeQuietly(monitoring);
    controlPlane.removeListener(controlPlaneEvents);
    worker.shutdown();
    try {
      if (!worker.awaitTermination(requestTimeout.toMillis() * 2, TimeUnit.MILLISECONDS)) {
        worker.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      worker.shutdownNow();
    }
    dataPlane.down();
    store.flush(requestTimeout);
    events.close(requestTimeout);
    closeOwned();
  }

  // ---------------------------------------------------------------- operations (worker thread)

  private Party doCreate(String partyName) throws IOException {
    requireNoParty();
    detectNat();
    Peer host = selfPeer(config.peerName());
    PartyInfo info = Futures.await(controlPlane.createParty(partyName, host), requestTimeout, "creating the party");
    enterOrUndo(info);
    return party;
  }

  private Party doJoin(String code, String peerName) throws IOException {
    requireNoParty();
    detectNat();
    Peer me = selfPeer(peerName);
    PartyInfo info = Futures.await(controlPlane.joinParty(code, me), requestTimeout, "joining party " + code);
    enterOrUndo(info);
    return party;
  }

  private PartyStatus doStatus() {
    Party current = requireParty();
    Map<Key, PeerStats> stats = dataPlane.stats();
    Map<String, Instant> seen = presence(current.id());
    Instant now = clock.instant();
    List<PeerStatus> peers = new ArrayList<>();
    for (Peer peer : current.getPeerList()) {
      if (peer.id().equals(myPeerId)) {
        Peer me = peer.withNatType(natType).withEndpoint(myEndpoint != null ? myEndpoint : peer.endpoint());
        peers.add(new PeerStatus(me, true, seen.get(myPeerId), null, 0, 0));
        continue;
      }
      PeerStats s = stats.get(Key.fromBase64(peer.publicKey()));
      Instant handshake = s == null ? null : s.lastHandshake();
      Connections links = connections;
      Peer view = links == null ? peer.withConnectionType(ConnectionType.NONE)
          : peer.withConnectionType(links.connectionType(peer.id())).withLatencyMs(links.latencyMs(peer).orElse(null));
      if (s != null && s.endpoint() != null) {
        view = view.withEndpoint(s.endpoint());
      }
      peers.add(new PeerStatus(view, false, latest(seen.get(peer.id()), handshake), handshake,
          s == null ? 0 : s.rxBytes(), s == null ? 0 : s.txBytes()));
    }
    return new PartyStatus(current.id(), current.name(), current.hostId(), myPeerId, natType, dataPlane.name(),
        controlPlane.name(), peers, now);
  }

  private void doLeave() {
    Party current = requireParty();
    disconnect(current);
    try {
      Futures.await(controlPlane.leaveParty(current.id(), myPeerId), requestTimeout, "leaving party " + current.id());
    } catch (PartyException e) {
      if (!isGone(e)) {
        // Leaving locally must always work; the control plane drops us after the stale timeout.
        LOG.warn("could not tell the control plane that we left party {} ({}); it will drop this member "
            + "after the stale timeout", current.id(), e.getMessage());
      }
    }
    forget(current);
    events.emit("onPartyLeft", l -> l.onPartyLeft(current.id()));
  }

  private void doKick(String peerId) {
    Party current = requireParty();
    if (!current.isHost(myPeerId)) {
      throw new NotHostException(current.id());
    }
    if (myPeerId.equals(peerId)) {
      throw PartyException.of(PartyException.Reason.INVALID_ARGUMENT,
          "The host cannot kick itself: call leave() to end the party");
    }
    if (!current.peers().containsKey(peerId)) {
      throw PartyException.of(PartyException.Reason.PEER_NOT_FOUND,
          "No member " + peerId + " in party " + current.id() + ": check status() for member ids");
    }
    Futures.await(controlPlane.kick(current.id(), myPeerId, peerId), requestTimeout, "kicking " + peerId);
    memberLeft(current.id(), peerId, LeaveReason.KICKED);
  }

  private void heartbeatTick() {
    Party current = party;
    if (current == null) {
      return;
    }
    if (rejoinNeeded) {
      resume();
      return;
    }
    try {
      Futures.await(controlPlane.heartbeat(current.id(), myPeerId), requestTimeout, "heartbeat");
      lastSeen.put(myPeerId, clock.instant());
    } catch (PartyNotFoundException e) {
      LOG.warn("party {} no longer exists on the control plane; leaving it locally", current.id());
      ended(current, DisbandReason.GONE);
    } catch (PartyException e) {
      if (e.reason() == PartyException.Reason.PEER_NOT_FOUND) {
        LOG.warn("the control plane dropped this member from party {}; joining it again", current.id());
        rejoinNeeded = true;
        resume();
      } else {
        LOG.warn("heartbeat for party {} failed ({}); retrying in {}", current.id(), e.getMessage(),
            config.heartbeatInterval());
      }
    }
  }

  /** Joins the persisted (or dropped) party again; the control plane treats a known member idempotently. */
  private void resume() {
    Party current = party;
    if (current == null || !rejoinNeeded) {
      return;
    }
    Peer me = current.peers().get(myPeerId);
    if (me == null) {
      LOG.warn("the persisted party {} does not list this member; clearing it", current.id());
      ended(current, DisbandReason.GONE);
      return;
    }
    dataPlane.down();
    detectNat();
    Peer self = me.withNatType(natType).withEndpoint(myEndpoint).withLatencyMs(null)
        .withConnectionType(ConnectionType.NONE);
    PartyInfo info;
    try {
      info = Futures.await(controlPlane.joinParty(current.id(), self), requestTimeout, "rejoining " + current.id());
    } catch (PartyException e) {
      if (isGone(e) || e.reason() == PartyException.Reason.FORBIDDEN
          || e.reason() == PartyException.Reason.PARTY_FULL) {
        LOG.warn("party {} cannot be resumed ({}); clearing it", current.id(), e.getMessage());
        ended(current, DisbandReason.GONE);
      } else {
        LOG.warn("party {} not resumed yet ({}); retrying in {}", current.id(), e.getMessage(),
            config.heartbeatInterval());
      }
      return;
    }
    try {
      enter(info);
      rejoinNeeded = false;
    } catch (IOException | RuntimeException e) {
      LOG.warn("party {} rejoined but the network did not come up ({}); retrying in {}", current.id(),
          e.toString(), config.heartbeatInterval());
      dataPlane.down();
    }
  }

  // ---------------------------------------------------------------- control-plane events (worker thread)

  private void memberJoined(String partyId, Peer peer) {
    Party current = currentIf(partyId);
    if (current == null || peer.id().equals(myPeerId)) {
      return;
    }
    if (current.peers().containsKey(peer.id())) {
      memberUpdated(partyId, peer);
      return;
    }
    party = current.withPeer(peer);
    lastSeen.put(peer.id(), clock.instant());
    if (connections != null) {
      connections.add(peer);
    }
    store.save(party);
    Party now = party;
    events.emit("onPeerJoined", l -> l.onPeerJoined(now, peer));
  }

  private void memberLeft(String partyId, String peerId, LeaveReason reason) {
    Party current = currentIf(partyId);
    if (current == null) {
      return;
    }
    if (peerId.equals(myPeerId)) {
      selfRemoved(current, reason);
      return;
    }
    Peer gone = current.peers().get(peerId);
    if (gone == null) {
      return;
    }
    removeFromNetwork(gone);
    lastSeen.remove(peerId);
    party = current.withoutPeer(peerId);
    store.save(party);
    Party now = party;
    events.emit("onPeerLeft", l -> l.onPeerLeft(now, gone, reason));
  }

  private void selfRemoved(Party current, LeaveReason reason) {
    if (reason == LeaveReason.STALE) {
      LOG.warn("the control plane dropped this member from party {} as stale; joining it again", current.id());
      rejoinNeeded = true;
      resume();
      return;
    }
    LOG.info("this member was removed from party {} ({})", current.id(), reason);
    Peer me = current.peers().get(myPeerId);
    disconnect(current);
    forget(current);
    if (me != null) {
      events.emit("onPeerLeft", l -> l.onPeerLeft(current, me, reason));
    }
    events.emit("onPartyLeft", l -> l.onPartyLeft(current.id()));
  }

  private void memberUpdated(String partyId, Peer peer) {
    Party current = currentIf(partyId);
    if (current == null || peer.id().equals(myPeerId)) {
      return;
    }
    Peer old = current.peers().get(peer.id());
    if (old == null) {
      memberJoined(partyId, peer);
      return;
    }
    Peer updated = peer.virtualIp() == null ? peer.withVirtualIp(old.virtualIp()) : peer;
    boolean pathChanged = !old.publicKey().equals(updated.publicKey())
        || !Objects.equals(old.endpoint(), updated.endpoint())
        || !Objects.equals(old.virtualIp(), updated.virtualIp()) || old.natType() != updated.natType();
    if (pathChanged && connections != null) {
      connections.update(old, updated);
    }
    lastSeen.put(peer.id(), clock.instant());
    party = current.withPeer(updated);
    store.save(party);
    Party now = party;
    events.emit("onPeerUpdated", l -> l.onPeerUpdated(now, updated));
  }

  private void disbanded(String partyId, DisbandReason reason) {
    Party current = currentIf(partyId);
    if (current != null) {
      LOG.info("party {} was disbanded ({})", partyId, reason);
      ended(current, reason);
    }
  }

  /** Reconciles with a full snapshot: joins, updates and departures as if the events had arrived. */
  private void snapshot(PartyInfo info) {
    Party current = currentIf(info.partyId());
    if (current == null) {
      return;
    }
    if (info.peer(myPeerId) == null) {
      selfRemoved(current, LeaveReason.REMOVED);
      return;
    }
    for (Peer known : current.getPeerList()) {
      if (info.peer(known.id()) == null) {
        memberLeft(current.id(), known.id(), LeaveReason.LEFT);
      }
    }
    for (Peer peer : info.peers()) {
      Peer known = party == null ? null : party.peers().get(peer.id());
      if (known == null) {
        memberJoined(current.id(), peer);
      } else if (!known.equals(peer)) {
        memberUpdated(current.id(), peer);
      }
    }
  }

  // ---------------------------------------------------------------- helpers (worker thread)

  private void enterOrUndo(PartyInfo info) throws IOException {
    try {
      enter(info);
    } catch (IOException | RuntimeException e) {
      dataPlane.down();
      party = null;
      try {
        Futures.await(controlPlane.leaveParty(info.partyId(), myPeerId), requestTimeout, "undoing the join");
      } catch (PartyException undo) {
        LOG.warn("could not undo joining party {} ({})", info.partyId(), undo.getMessage());
      }
      throw e;
    }
  }

  /** Makes {@code info} the current party: interface up, every other member added, persisted, announced. */
  private void enter(PartyInfo info) throws IOException {
    Party joined = info.toParty();
    Peer me = joined.peers().get(myPeerId);
    if (me == null || me.virtualIp() == null) {
      throw PartyException.of(PartyException.Reason.INTERNAL, "the " + controlPlane.name()
          + " control plane answered without this member or its virtual IP; report this as a bug");
    }
    if (!dataPlane.isOff()) {
      int port = dataPlane.up(new InterfaceConfig(config.interfaceName(), privateKey, config.listenPort(),
          new IpPrefix(me.virtualIp(), info.subnet().prefixLength()), InterfaceConfig.DEFAULT_MTU));
      if (myEndpoint == null && advertisedEndpoint(port) != null) {
        // The port is known only now (listen port 0): tell the others where to find us.
        myEndpoint = advertisedEndpoint(port);
        me = me.withEndpoint(myEndpoint);
        joined = joined.withPeer(me);
        publishSelf(info.partyId(), me);
      }
      connections = newConnections(port, info.partyId());
      connections.start(info.partyId(), myPeerId, me.virtualIp(), natType, myEndpoint);
      for (Peer peer : joined.getPeerList()) {
        if (!peer.id().equals(myPeerId)) {
          connections.add(peer);
        }
      }
    }
    Instant now = clock.instant();
    lastSeen.clear();
    for (Peer peer : joined.getPeerList()) {
      lastSeen.put(peer.id(), now);
    }
    party = joined;
    store.save(joined);
    LOG.info("in party {} '{}' as {} with {} member(s), network {}", joined.id(), joined.name(), me.virtualIp(),
        joined.peers().size(), dataPlane.name());
    Party entered = joined;
    events.emit("onPartyJoined", l -> l.onPartyJoined(entered));
  }

  /** The party ended without us leaving (disbanded, gone, kicked): tear down and tell the listeners. */
  private void ended(Party current, DisbandReason reason) {
    disconnect(current);
    forget(current);
    events.emit("onPartyDisbanded", l -> l.onPartyDisbanded(current.id(), reason));
  }

  private void disconnect(Party current) {
    Connections links = connections;
    connections = null;
    if (links != null) {
      links.stop();
    }
    for (Peer peer : current.getPeerList()) {
      if (!peer.id().equals(myPeerId)) {
        dataPlane.removePeer(peer);
      }
    }
    dataPlane.down();
  }

  private void removeFromNetwork(Peer peer) {
    if (connections != null) {
      connections.remove(peer);
    } else {
      dataPlane.removePeer(peer);
    }
  }

  /** Steps every link, pings every member, and reports connection changes. */
  private void monitorTick() {
    Party current = party;
    if (current != null && connections != null) {
      connections.tick(current.getPeerList());
    }
  }

  private void forget(Party current) {
    party = null;
    rejoinNeeded = false;
    lastSeen.clear();
    store.clear(requestTimeout);
    LOG.info("no longer in party {}", current.id());
  }

  /**
   * Learns the NAT class and the public endpoint of the WireGuard port. Without a STUN mapping,
   * {@code network.advertise-address} (a LAN or loopback address) stands in, so members on one
   * network still find each other; without either, the member is reachable only through the relay.
   */
  private void detectNat() {
    natType = NatType.UNKNOWN;
    myEndpoint = null;
    if (natDetector == null) {
      LOG.warn("no NAT detector is configured (no STUN servers): NAT type UNKNOWN");
    } else {
      // The mapping is only useful when it belongs to the port WireGuard will listen on.
      int port = dataPlane.isOff() ? 0 : config.listenPort();
      try {
        NatReport report = Futures.await(natDetector.detect(port), requestTimeout, "NAT detection");
        natType = report.natType();
        myEndpoint = port == 0 ? null : report.mappedEndpoint();
        if (natType == NatType.UNKNOWN) {
          LOG.warn("NAT detection found nothing ({})", report.detail());
        }
      } catch (PartyException e) {
        LOG.warn("NAT detection failed ({})", e.getMessage());
      }
    }
    if (myEndpoint == null) {
      myEndpoint = advertisedEndpoint(config.listenPort());
    }
    if (myEndpoint == null && !dataPlane.isOff()) {
      LOG.warn("no public endpoint known for this member: other members can reach it only through a relay");
    }
  }

  private Endpoint advertisedEndpoint(int port) {
    String address = config.setting(ADVERTISE_ADDRESS, "").trim();
    if (address.isEmpty() || dataPlane.isOff() || port == 0) {
      return null;
    }
    try {
      return new Endpoint(address, port);
    } catch (IllegalArgumentException e) {
      LOG.warn("ignoring {}={}: {}", ADVERTISE_ADDRESS, address, e.getMessage());
      return null;
    }
  }


  private Peer selfPeer(String name) {
    return Peer.newMember(myPeerId, name, publicKey, natType, clock.instant()).withEndpoint(myEndpoint);
  }

  private Map<String, Instant> presence(String partyId) {
    Map<String, Instant> seen = new HashMap<>(lastSeen);
    if (controlPlane instanceof PeerPresence presence) {
      try {
        seen.putAll(Futures.await(presence.lastSeen(partyId), requestTimeout, "reading last-seen times"));
      } catch (PartyException e) {
        LOG.debug("last-seen times unavailable ({}); using local estimates", e.getMessage());
      }
    }
    return seen;
  }

  /**
   * Connections for a party whose interface listens on {@code wireGuardPort}: the relay, when
   * {@code nat.turn-server} is configured, forwards to that port; signals go out through the
   * control plane; connection changes become {@link io.partynet.PartyListener#onPeerUpdated} events.
   */
  private Connections newConnections(int wireGuardPort, String partyId) {
    Optional<TurnRelay> relay = TurnRelay.fromConfig(config, wireGuardPort, new TurnRelay.Signalling() {
      @Override
      public void sendCandidate(String peerId, Endpoint relayed) {
        sendSignal(new Signal(partyId, myPeerId, peerId, TurnRelay.SIGNAL_TYPE, TurnRelay.candidateData(relayed)));
      }

      @Override
      public void relayReady(String peerId) {
        enqueue("relay ready", () -> {
          Connections links = connections;
          if (links != null) {
            links.relayReady(peerId);
          }
        });
      }
    });
    ConnectionManager.Listener changes = new ConnectionManager.Listener() {
      @Override
      public void onConnectionChanged(Peer peer, ConnectionType type) {
        Party current = party;
        if (current != null && current.peers().containsKey(peer.id())) {
          Peer view = current.peers().get(peer.id()).withConnectionType(type);
          events.emit("onPeerUpdated", l -> l.onPeerUpdated(current, view));
        }
      }

      @Override
      public void onGone(Peer peer) {
        LOG.warn("no working path to {} ({}) for {}; the control plane removes it if it stopped heartbeating",
            peer.name(), peer.id(), LinkSettings.defaults().removeAfter());
      }
    };
    int probePort = Integer.parseInt(config.setting("party.probe-port", Integer.toString(DEFAULT_PROBE_PORT)));
    return new Connections(dataPlane, relay, this::sendSignal, this::observedSelf, changes, LinkSettings.defaults(),
        probePort, clock);
  }

  /**
   * A member's WireGuard sees us at {@code seen}. When only our public port changed (a NAT
   * rebinding: same address, new mapping) we adopt it and publish it, so every member re-plans
   * its path to us. A symmetric NAT shows each member another port, and a different address is a
   * different path (a LAN, a relay), so those are not adopted.
   */
  private void observedSelf(Endpoint seen) {
    Party current = party;
    Endpoint mine = myEndpoint;
    Connections links = connections;
    if (current == null || links == null || mine == null || natType == NatType.SYMMETRIC || seen.equals(mine)
        || !seen.host().equals(mine.host())) {
      return;
    }
    LOG.info("NAT rebinding: the others see us at {} instead of {}; publishing the new endpoint", seen, mine);
    myEndpoint = seen;
    links.setLocal(natType, seen);
    Peer me = current.peers().get(myPeerId).withEndpoint(seen);
    party = current.withPeer(me);
    store.save(party);
    publishSelf(current.id(), me);
  }

  private void publishSelf(String partyId, Peer me) {
    try {
      Futures.await(controlPlane.updatePeer(partyId, me), requestTimeout, "publishing our endpoint");
    } catch (PartyException e) {
      LOG.warn("could not publish our endpoint {} ({}); others learn it when we reach them", me.endpoint(),
          e.getMessage());
    }
  }

  private void sendSignal(Signal signal) {
    controlPlane.signal(signal).whenComplete((ok, error) -> {
      if (error != null) {
        LOG.debug("signal '{}' to {} not delivered: {}", signal.type(), signal.toPeerId(), error.toString());
      }
    });
  }

  private static Instant latest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isAfter(b) ? a : b;
  }

  private Party currentIf(String partyId) {
    Party current = party;
    return current != null && current.id().equals(partyId) ? current : null;
  }

  private Party requireParty() {
    Party current = party;
    if (current == null) {
      throw PartyException.of(PartyException.Reason.NOT_IN_PARTY,
          "Not in a party: create one or join one with an invite code first");
    }
    return current;
  }

  private void requireNoParty() {
    Party current = party;
    if (current != null) {
      throw PartyException.of(PartyException.Reason.ALREADY_IN_PARTY,
          "Already in party " + current.id() + ": leave it first");
    }
  }

  private static boolean isGone(PartyException e) {
    return e instanceof PartyNotFoundException || e.reason() == PartyException.Reason.PEER_NOT_FOUND;
  }

  private UserspaceNetwork userspaceNetwork() {
    Party current = requireParty();
    if (dataPlane.isOff()) {
      throw new BackendUnavailableException("The network is off (network.backend=off): this member has "
          + "membership only. Pick a network backend to send datagrams.");
    }
    return dataPlane.userspace().orElseThrow(() -> new BackendUnavailableException("The " + dataPlane.name()
        + " backend gives the operating system a real interface: use an ordinary java.net.DatagramSocket "
        + "bound to your virtual IP " + current.peers().get(myPeerId).virtualIp() + " instead."));
  }

  private interface Operation<T> {
    T run() throws IOException;
  }

  private <T> CompletableFuture<T> submit(String what, Operation<T> operation) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      worker.execute(() -> {
        try {
          result.complete(operation.run());
        } catch (IOException | RuntimeException e) {
          result.completeExceptionally(Futures.toPartyException(e, what));
        }
      });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(closedError());
    }
    return Futures.bounded(result, requestTimeout.multipliedBy(OPERATION_STEPS), what);
  }

  private void enqueue(String what, Runnable work) {
    if (closed) {
      return;
    }
    try {
      worker.execute(() -> {
        try {
          work.run();
        } catch (RuntimeException e) {
          LOG.warn("{} failed: {}", what, e.toString(), e);
        }
      });
    } catch (RejectedExecutionException e) {
      LOG.debug("{} skipped: the manager is closed", what);
    }
  }

  private static PartyException closedError() {
    return PartyException.of(PartyException.Reason.INTERNAL, "The party manager is closed: build a new one");
  }

  private void closeOwned() {
    for (int i = owned.size() - 1; i >= 0; i--) {
      closeQuietly(owned.get(i));
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.warn("closing {} failed: {}", closeable.getClass().getSimpleName(), e.toString());
    }
  }

  /** Turns control-plane callbacks into work on the manager's worker thread, in arrival order. */
  private final class ControlPlaneEvents implements ControlPlaneListener {
    @Override
    public void onPeerJoined(String partyId, Peer peer) {
      enqueue("peer joined", () -> memberJoined(partyId, peer));
    }

    @Override
    public void onPeerLeft(String partyId, String peerId, LeaveReason reason) {
      enqueue("peer left", () -> memberLeft(partyId, peerId, reason));
    }

    @Override
    public void onPeerUpdated(String partyId, Peer peer) {
      enqueue("peer updated", () -> memberUpdated(partyId, peer));
    }

    @Override
    public void onPartyDisbanded(String partyId, DisbandReason reason) {
      enqueue("party disbanded", () -> disbanded(partyId, reason));
    }

    @Override
    public void onPartySnapshot(PartyInfo info) {
      enqueue("party snapshot", () -> snapshot(info));
    }

    @Override
    public void onSignal(Signal signal) {
      enqueue("signal " + signal.type(), () -> {
        Party current = currentIf(signal.partyId());
        if (current != null && connections != null && current.peers().containsKey(signal.fromPeerId())) {
          connections.onSignal(signal);
        }
      });
    }

    @Override
    public void onConnectivityChanged(boolean connected, String detail) {
      String plane = controlPlane.name();
      events.emit("onControlPlaneChanged", l -> l.onControlPlaneChanged(plane, detail));
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
    private ControlPlane controlPlane;
    private Supplier<ControlPlane> localFallback;
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
    public Builder controlPlane(ControlPlane v) { controlPlane = v; return this; }

    /** Makes the local control plane when the configured one is unreachable at start (if allowed). */
    public Builder localFallback(Supplier<ControlPlane> v) { localFallback = v; return this; }

    /** Uses backends named {@code name} from {@code backends}, one instance per party. */
    public Builder network(String name, Supplier<NetworkBackend> backends) {
      dataPlane = DataPlane.of(name, backends);
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
     * @throws ControlPlaneUnavailableException when the control plane cannot be reached and no
     *     fallback applies
     */
    public DefaultPartyManager build() {
      DefaultPartyManager manager = new DefaultPartyManager(this);
      manager.start(localFallback);
      return manager;
    }
  }
}
