package io.partynet.core.testing;

import io.partynet.ControlPlaneUnavailableException;
import io.partynet.DisbandReason;
import io.partynet.InviteCode;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.LeaveReason;
import io.partynet.NotHostException;
import io.partynet.PartyException;
import io.partynet.PartyFullException;
import io.partynet.PartyInfo;
import io.partynet.PartyNotFoundException;
import io.partynet.Peer;
import io.partynet.spi.PeerPresence;
import io.partynet.spi.ControlPlane;
import io.partynet.spi.ControlPlaneListener;
import io.partynet.spi.ControlPlaneListeners;
import io.partynet.spi.Signal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * An in-memory control plane shared by several members of one test: the hub holds the parties and
 * enforces the {@link ControlPlane} rules (host alone kicks and disbands, host leaving disbands,
 * last member leaving deletes, virtual IPs unique); {@link #client} gives each member its own
 * {@link ControlPlane}, whose events arrive on that client's own thread, in order, as a real plane
 * delivers them. {@link #setReachable(false)} makes every call fail as if the server were down.
 *
 * <p>Thread-safe.
 */
public final class InMemoryControlPlaneHub {
  private final IpPrefix subnet;
  private final int maxPartySize;
  private final Clock clock;
  private final Random random;
  private final Map<String, PartyState> parties = new LinkedHashMap<>();
  private final List<Client> clients = new CopyOnWriteArrayList<>();
  private volatile boolean reachable = true;

  public InMemoryControlPlaneHub(Clock clock) {
    this(IpPrefix.parse("10.77.0.0/16"), 16, clock, new Random(42));
  }

  public InMemoryControlPlaneHub(IpPrefix subnet, int maxPartySize, Clock clock, Random random) {
    this.subnet = subnet.network();
    this.maxPartySize = maxPartySize;
    this.clock = clock;
    this.random = random;
  }

  /** A control plane client named {@code "local"}. */
  public Client client() {
    return client("local");
  }

  /** A control plane client that reports {@code name} (e.g. {@code "remote"}). */
  public Client client(String name) {
    Client c = new Client(name);
    clients.add(c);
    return c;
  }

  public void setReachable(boolean value) {
    reachable = value;
  }

  public synchronized Optional<PartyInfo> party(String partyId) {
    PartyState p = parties.get(partyId);
    return p == null ? Optional.empty() : Optional.of(p.info());
  }

  public synchronized int partyCount() {
    return parties.size();
  }

  /** Removes a member as a stale-peer cleanup would, and tells everybody. */
  public void dropStale(String partyId, String peerId) {
    synchronized (this) {
      PartyState p = parties.get(partyId);
      if (p == null || p.peers.remove(peerId) == null) {
        return;
      }
      p.lastSeen.remove(peerId);
      broadcast(p, peerId, l -> l.onPeerLeft(partyId, peerId, LeaveReason.STALE));
      if (p.peers.isEmpty() || p.hostId.equals(peerId)) {
        parties.remove(partyId);
        broadcast(p, peerId, l -> l.onPartyDisbanded(partyId, DisbandReason.HOST_STALE));
      }
    }
  }

  /** Removes a member without any event, as if its departure's event had been lost. */
  public synchronized void removeSilently(String partyId, String peerId) {
    PartyState p = parties.get(partyId);
    if (p != null) {
      p.peers.remove(peerId);
      p.lastSeen.remove(peerId);
    }
  }

  /** Sends every member the party's full state, as a plane does after a gap in its event stream. */
  public synchronized void pushSnapshot(String partyId) {
    PartyState p = require(partyId);
    PartyInfo info = p.info();
    broadcast(p, null, l -> l.onPartySnapshot(info));
  }

  /** Forgets a party without telling anyone, as if the control plane had lost it. */
  public synchronized void forget(String partyId) {
    parties.remove(partyId);
  }

  public synchronized Optional<Instant> lastSeen(String partyId, String peerId) {
    PartyState p = parties.get(partyId);
    return p == null ? Optional.empty() : Optional.ofNullable(p.lastSeen.get(peerId));
  }

  /** Closes every client's event thread. */
  public void close() {
    clients.forEach(Client::close);
  }

  // ---------------------------------------------------------------- rules (under the hub's lock)

  private synchronized PartyInfo create(String name, Peer host) {
    String id;
    do {
      id = InviteCode.generate(random);
    } while (parties.containsKey(id));
    PartyState p = new PartyState(id, name, host.id(), clock.instant());
    Peer placed = host.withVirtualIp(freeAddress(p)).withJoinedAt(clock.instant());
    p.peers.put(host.id(), placed);
    p.lastSeen.put(host.id(), clock.instant());
    parties.put(id, p);
    return p.info();
  }

  private synchronized PartyInfo join(String partyId, Peer peer) {
    PartyState p = require(partyId);
    Peer existing = p.peers.get(peer.id());
    if (existing != null) {
      if (!existing.publicKey().equals(peer.publicKey())) {
        throw PartyException.of(PartyException.Reason.FORBIDDEN, "peer id taken by another key");
      }
      Peer refreshed = peer.withVirtualIp(existing.virtualIp()).withJoinedAt(existing.joinedAt());
      p.peers.put(peer.id(), refreshed);
      p.lastSeen.put(peer.id(), clock.instant());
      return p.info();
    }
    if (p.peers.size() >= maxPartySize) {
      throw new PartyFullException(partyId);
    }
    Peer placed = peer.withVirtualIp(freeAddress(p)).withJoinedAt(clock.instant());
    p.peers.put(peer.id(), placed);
    p.lastSeen.put(peer.id(), clock.instant());
    broadcast(p, peer.id(), l -> l.onPeerJoined(partyId, placed));
    return p.info();
  }

  private synchronized void leave(String partyId, String peerId) {
    PartyState p = require(partyId);
    if (!p.peers.containsKey(peerId)) {
      throw PartyException.of(PartyException.Reason.PEER_NOT_FOUND, "no member " + peerId);
    }
    if (p.hostId.equals(peerId) || p.peers.size() == 1) {
      parties.remove(partyId);
      broadcast(p, null, l -> l.onPartyDisbanded(partyId, p.hostId.equals(peerId) ? DisbandReason.HOST_LEFT : DisbandReason.EMPTY));
      p.peers.remove(peerId);
      return;
    }
    p.peers.remove(peerId);
    p.lastSeen.remove(peerId);
    broadcast(p, peerId, l -> l.onPeerLeft(partyId, peerId, LeaveReason.LEFT));
  }

  private synchronized void kick(String partyId, String hostId, String peerId) {
    PartyState p = require(partyId);
    if (!p.hostId.equals(hostId)) {
      throw new NotHostException(partyId);
    }
    if (!p.peers.containsKey(peerId)) {
      throw PartyException.of(PartyException.Reason.PEER_NOT_FOUND, "no member " + peerId);
    }
    Set<String> audience = new HashSet<>(p.peers.keySet());
    p.peers.remove(peerId);
    p.lastSeen.remove(peerId);
    broadcastTo(audience, l -> l.onPeerLeft(partyId, peerId, LeaveReason.KICKED));
  }

  private synchronized void disband(String partyId, String hostId) {
    PartyState p = require(partyId);
    if (!p.hostId.equals(hostId)) {
      throw new NotHostException(partyId);
    }
    parties.remove(partyId);
    broadcast(p, null, l -> l.onPartyDisbanded(partyId, DisbandReason.DISBANDED));
  }

  private synchronized void heartbeat(String partyId, String peerId) {
    PartyState p = require(partyId);
    if (!p.peers.containsKey(peerId)) {
      throw PartyException.of(PartyException.Reason.PEER_NOT_FOUND, "no member " + peerId);
    }
    p.lastSeen.put(peerId, clock.instant());
  }

  private synchronized void update(String partyId, Peer self) {
    PartyState p = require(partyId);
    Peer existing = p.peers.get(self.id());
    if (existing == null) {
      throw PartyException.of(PartyException.Reason.PEER_NOT_FOUND, "no member " + self.id());
    }
    Peer updated = self.withVirtualIp(existing.virtualIp()).withJoinedAt(existing.joinedAt());
    p.peers.put(self.id(), updated);
    broadcast(p, self.id(), l -> l.onPeerUpdated(partyId, updated));
  }

  private synchronized Map<String, Instant> lastSeenOf(String partyId) {
    return Map.copyOf(require(partyId).lastSeen);
  }

  private PartyState require(String partyId) {
    PartyState p = parties.get(partyId);
    if (p == null) {
      throw new PartyNotFoundException(partyId);
    }
    return p;
  }

  private String freeAddress(PartyState p) {
    Set<String> used = new HashSet<>();
    p.peers.values().forEach(peer -> used.add(peer.virtualIp()));
    byte[] base = subnet.addressBytes();
    long network = ((base[0] & 0xffL) << 24) | ((base[1] & 0xffL) << 16) | ((base[2] & 0xffL) << 8) | (base[3] & 0xffL);
    long size = 1L << (32 - subnet.prefixLength());
    for (long host = 1; host < size - 1; host++) {
      long a = network + host;
      String ip = ((a >> 24) & 0xff) + "." + ((a >> 16) & 0xff) + "." + ((a >> 8) & 0xff) + "." + (a & 0xff);
      if (!used.contains(ip)) {
        return ip;
      }
    }
    throw new PartyFullException(p.id);
  }

  /** Tells every member of {@code p} except {@code except} (null: everybody). */
  private void broadcast(PartyState p, String except, Consumer<ControlPlaneListener> event) {
    Set<String> audience = new HashSet<>(p.peers.keySet());
    if (except != null) {
      audience.remove(except);
    }
    broadcastTo(audience, event);
  }

  private void broadcastTo(Set<String> peerIds, Consumer<ControlPlaneListener> event) {
    for (Client c : clients) {
      if (c.peerId != null && peerIds.contains(c.peerId)) {
        c.deliver(event);
      }
    }
  }

  private final class PartyState {
    final String id;
    final String name;
    final String hostId;
    final Instant createdAt;
    final Map<String, Peer> peers = new LinkedHashMap<>();
    final Map<String, Instant> lastSeen = new LinkedHashMap<>();

    PartyState(String id, String name, String hostId, Instant createdAt) {
      this.id = id;
      this.name = name;
      this.hostId = hostId;
      this.createdAt = createdAt;
    }

    PartyInfo info() {
      return new PartyInfo(id, name, hostId, new ArrayList<>(peers.values()), createdAt, subnet);
    }
  }

  /** One member's connection to the hub. Thread-safe. */
  public final class Client implements ControlPlane, PeerPresence {
    private final String name;
    private final ControlPlaneListeners listeners = new ControlPlaneListeners();
    private final ExecutorService eventThread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "in-memory-control-plane-events");
      t.setDaemon(true);
      return t;
    });
    private volatile String peerId;
    private volatile boolean closed;

    private Client(String name) {
      this.name = name;
    }

    public boolean isClosed() {
      return closed;
    }

    public String peerId() {
      return peerId;
    }

    private void deliver(Consumer<ControlPlaneListener> event) {
      if (!closed) {
        eventThread.execute(() -> listeners.emit(event));
      }
    }

    private interface Call<T> {
      T run();
    }

    private <T> CompletableFuture<T> call(Call<T> body) {
      if (!reachable) {
        return CompletableFuture.failedFuture(new ControlPlaneUnavailableException(
            "in-memory control plane is set unreachable"));
      }
      try {
        return CompletableFuture.completedFuture(body.run());
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public CompletableFuture<Void> start(String id, Key publicKey) {
      return call(() -> {
        peerId = id;
        return null;
      });
    }

    @Override
    public CompletableFuture<PartyInfo> createParty(String partyName, Peer host) {
      return call(() -> create(partyName, host));
    }

    @Override
    public CompletableFuture<PartyInfo> joinParty(String partyId, Peer peer) {
      return call(() -> join(partyId, peer));
    }

    @Override
    public CompletableFuture<Void> leaveParty(String partyId, String id) {
      return call(() -> {
        leave(partyId, id);
        return null;
      });
    }

    @Override
    public CompletableFuture<Void> kick(String partyId, String hostId, String id) {
      return call(() -> {
        InMemoryControlPlaneHub.this.kick(partyId, hostId, id);
        return null;
      });
    }

    @Override
    public CompletableFuture<Void> disband(String partyId, String hostId) {
      return call(() -> {
        InMemoryControlPlaneHub.this.disband(partyId, hostId);
        return null;
      });
    }

    @Override
    public CompletableFuture<Void> heartbeat(String partyId, String id) {
      return call(() -> {
        InMemoryControlPlaneHub.this.heartbeat(partyId, id);
        return null;
      });
    }

    @Override
    public CompletableFuture<Void> updatePeer(String partyId, Peer self) {
      return call(() -> {
        update(partyId, self);
        return null;
      });
    }

    @Override
    public CompletableFuture<Optional<PartyInfo>> getParty(String partyId) {
      return call(() -> party(partyId));
    }

    @Override
    public CompletableFuture<Void> signal(Signal signal) {
      return call(() -> {
        broadcastTo(Set.of(signal.toPeerId()), l -> l.onSignal(signal));
        return null;
      });
    }

    @Override
    public CompletableFuture<Map<String, Instant>> lastSeen(String partyId) {
      return call(() -> lastSeenOf(partyId));
    }

    @Override
    public void addListener(ControlPlaneListener listener, Executor executor) {
      listeners.add(listener, executor);
    }

    @Override
    public void removeListener(ControlPlaneListener listener) {
      listeners.remove(listener);
    }

    @Override
    public void close() {
      closed = true;
      eventThread.shutdown();
    }
  }
}
