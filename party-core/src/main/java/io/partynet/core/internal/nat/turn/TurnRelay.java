package io.partynet.core.internal.nat.turn;

import io.partynet.Endpoint;
import io.partynet.PartyConfig;
import io.partynet.PartyException;
import io.partynet.Peer;
import io.partynet.core.internal.connection.ConnectionManager;
import io.partynet.core.internal.connection.PartySignals;
import io.partynet.core.internal.nat.discovery.StunTiming;
import io.partynet.spi.SettingKey;
import io.partynet.spi.IceServers;
import io.partynet.spi.Signal;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection manager's relay paths through one TURN allocation (design.md section 5). The
 * allocation is made the first time a peer needs the relay, kept refreshed by the
 * {@link TurnClient}, replaced at once (with every path on it) when a refresh fails, and deleted by
 * {@link #close()}.
 *
 * <p>The two members of a relayed pair exchange their relayed addresses through the control
 * plane: once our allocation is granted, every peer the manager {@linkplain #open opened} is sent a
 * {@link PartySignals#RELAY_CANDIDATE} signal; what a peer
 * sends us is handed to {@link #onCandidate}. With both our allocation and the peer's relayed
 * address known, a {@link RelayForwarder} binds a TURN channel to that address (which also
 * installs the permission that lets the peer's traffic into our allocation), and
 * {@link Signalling#relayReady} says that {@link #open} now returns its loopback endpoint.
 * Until then {@link #open} throws an IOException saying what it waits for; nothing here blocks the
 * caller on the network.
 *
 * <p>Thread-safe. {@link Signalling} callbacks run on TURN threads (or the caller's) and never
 * while this object's lock is held.
 */
public final class TurnRelay implements ConnectionManager.Relay, AutoCloseable {
  /** The TURN server, {@code ip:port}; empty means no relay. */
  public static final SettingKey<String> SERVER = SettingKey.ofString("nat.turn-server", "");
  public static final SettingKey<String> USERNAME = SettingKey.ofString("nat.turn-username", "");
  public static final SettingKey<String> PASSWORD = SettingKey.ofString("nat.turn-password", "");

  private static final Logger LOG = LoggerFactory.getLogger(TurnRelay.class);

  /** How the relay reaches the rest of the SDK. Implementations must return quickly. */
  public interface Signalling {
    /**
     * Sends our relayed address to {@code peerId} through the control plane, as a
     * {@link PartySignals#relayCandidate} signal. May repeat the same address; the receiver
     * ignores repeats.
     */
    void sendCandidate(String peerId, Endpoint relayed);

    /**
     * The relay path to {@code peerId} became usable: call
     * {@link ConnectionManager#relayReady(String)} on the manager's thread.
     */
    void relayReady(String peerId);
  }

  private final Endpoint server;
  /** Asked at each allocation, so a short-lived credential handed out again is used from then on. */
  private final Supplier<TurnCredentials> credentials;
  private final StunTiming timing;
  private final int wireGuardPort;
  private final Signalling signalling;
  /** Guarded by {@code this}. */
  private final Map<String, PeerRelay> peers = new HashMap<>();
  private TurnClient client;
  private CompletableFuture<TurnAllocation> allocation;
  private boolean closed;

  /** What we know about one peer's relay path. Guarded by the relay's lock. */
  private static final class PeerRelay {
    /** The manager asked for this path (open without close). */
    boolean wanted;
    Endpoint candidate;
    CompletableFuture<RelayForwarder> forwarder;
    Endpoint forwarderTarget;
  }

  private TurnRelay(Builder b) {
    this.server = b.server;
    this.credentials = b.credentials;
    this.timing = b.timing;
    this.wireGuardPort = b.wireGuardPort;
    this.signalling = Objects.requireNonNull(b.signalling, "signalling");
  }

  public static Builder builder(Endpoint server, TurnCredentials credentials) {
    Objects.requireNonNull(credentials, "credentials");
    return new Builder(server, () -> credentials);
  }

  /**
   * A relay through the first TURN server the control plane handed out ({@code ice}; an
   * {@code ip:port} server), allocating with the credential {@code ice} holds at that moment
   * (TURN REST API credentials expire: a later allocation takes the refreshed one).
   *
   * @return empty when {@code ice} names no usable TURN server
   */
  public static Optional<TurnRelay> fromIceServers(Supplier<Optional<IceServers>> ice, int wireGuardPort,
      Signalling signalling) {
    Optional<IceServers.TurnServer> first = ice.get().flatMap(TurnRelay::firstTurnServer);
    if (first.isEmpty()) {
      return Optional.empty();
    }
    Endpoint endpoint = Endpoint.parse(first.get().address());
    TurnCredentials initial = new TurnCredentials(first.get().username(), first.get().password());
    Supplier<TurnCredentials> latest = () -> ice.get().flatMap(TurnRelay::firstTurnServer)
        .filter(t -> t.address().equals(first.get().address()))
        .map(t -> new TurnCredentials(t.username(), t.password())).orElse(initial);
    return Optional.of(new Builder(endpoint, latest).wireGuardPort(wireGuardPort).signalling(signalling).build());
  }

  private static Optional<IceServers.TurnServer> firstTurnServer(IceServers ice) {
    for (IceServers.TurnServer turn : ice.turnServers()) {
      try {
        Endpoint.parse(turn.address());
        new TurnCredentials(turn.username(), turn.password());
        return Optional.of(turn);
      } catch (IllegalArgumentException e) {
        LOG.debug("skipping the control plane's TURN server {}: {}", turn.address(), e.getMessage());
      }
    }
    return Optional.empty();
  }

  /**
   * A relay from the settings {@link #SERVER}, {@link #USERNAME} and {@link #PASSWORD}; empty when
   * no TURN server is configured.
   *
   * @param wireGuardPort the UDP port the WireGuard interface listens on (what the backend's
   *     {@code up} returned)
   * @throws PartyException INVALID_ARGUMENT when the server is not {@code ip:port} or the
   *     credentials are missing
   */
  public static Optional<TurnRelay> fromConfig(PartyConfig config, int wireGuardPort, Signalling signalling) {
    String serverText = SERVER.from(config).strip();
    if (serverText.isEmpty()) {
      return Optional.empty();
    }
    Endpoint endpoint;
    try {
      endpoint = Endpoint.parse(serverText);
    } catch (IllegalArgumentException e) {
      throw PartyException.of(PartyException.Reason.INVALID_ARGUMENT,
          SERVER.name() + " must be an ip:port endpoint: " + e.getMessage(), e);
    }
    String username = USERNAME.from(config).strip();
    String password = PASSWORD.from(config);
    if (username.isEmpty() || password.isEmpty()) {
      throw PartyException.of(PartyException.Reason.INVALID_ARGUMENT, SERVER.name() + " is set, so "
          + USERNAME.name() + " and " + PASSWORD.name() + " must be set too (the TURN server's long-term credentials)");
    }
    TurnCredentials credentials;
    try {
      credentials = new TurnCredentials(username, password);
    } catch (IllegalArgumentException e) {
      throw PartyException.of(PartyException.Reason.INVALID_ARGUMENT, USERNAME.name() + ": " + e.getMessage(), e);
    }
    return Optional.of(builder(endpoint, credentials).wireGuardPort(wireGuardPort).signalling(signalling).build());
  }

  /** Options of a {@link TurnRelay}. Not thread-safe; build once. */
  public static final class Builder {
    private final Endpoint server;
    private final Supplier<TurnCredentials> credentials;
    private StunTiming timing = TurnClient.DEFAULT_TIMING;
    private int wireGuardPort;
    private Signalling signalling;

    private Builder(Endpoint server, Supplier<TurnCredentials> credentials) {
      this.server = Objects.requireNonNull(server, "server");
      this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    /** The local WireGuard interface's UDP listen port, where forwarders deliver relayed packets. */
    public Builder wireGuardPort(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("WireGuard port must be 1..65535: " + port);
      }
      this.wireGuardPort = port;
      return this;
    }

    public Builder signalling(Signalling s) {
      this.signalling = Objects.requireNonNull(s, "signalling");
      return this;
    }

    /** Retransmission of TURN requests (default {@link TurnClient#DEFAULT_TIMING}). */
    public Builder timing(StunTiming t) {
      this.timing = Objects.requireNonNull(t, "timing");
      return this;
    }

    /** Builds the relay; nothing is sent until the first {@link TurnRelay#open}. */
    public TurnRelay build() {
      if (wireGuardPort == 0) {
        throw new IllegalStateException("set the WireGuard listen port with wireGuardPort(...)");
      }
      return new TurnRelay(this);
    }
  }

  /**
   * Hands a received signal to the relay: returns false (and does nothing) unless it is a
   * {@link PartySignals#RELAY_CANDIDATE} signal; a malformed one is dropped with a warning.
   */
  public boolean onSignal(Signal signal) {
    if (!PartySignals.RELAY_CANDIDATE.equals(signal.type())) {
      return false;
    }
    try {
      onCandidate(signal.fromPeerId(), PartySignals.endpoint(signal, PartySignals.RELAYED_KEY));
    } catch (IllegalArgumentException e) {
      LOG.warn("ignored a {} signal from {}: {}", signal.type(), signal.fromPeerId(), e.getMessage());
    }
    return true;
  }

  /**
   * {@code peerId}'s relayed address arrived (through the control plane). When the manager already
   * opened that peer and our allocation is granted, the channel is bound now and
   * {@link Signalling#relayReady} follows; a changed address replaces the previous path.
   *
   * @throws IllegalArgumentException when the address cannot be a relayed address (wildcard or multicast)
   */
  public void onCandidate(String peerId, Endpoint relayed) {
    Objects.requireNonNull(peerId, "peerId");
    InetAddress address = relayed.toSocketAddress().getAddress();
    if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
      throw new IllegalArgumentException("not a relayed address: " + relayed);
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      PeerRelay state = peers.computeIfAbsent(peerId, id -> new PeerRelay());
      if (relayed.equals(state.candidate)) {
        return;
      }
      LOG.info("relayed address of {} is {}", peerId, relayed);
      state.candidate = relayed;
      startForwarderIfPossible(peerId, state);
    }
  }

  /**
   * The loopback endpoint WireGuard must use for {@code peer}. The first call allocates on the TURN
   * server; every call (re)publishes our relayed address to the peer once it is known.
   *
   * @throws IOException while the path is not ready, saying what it waits for (the allocation, the
   *     peer's relayed address, the channel binding), or when the allocation failed
   */
  @Override
  public Endpoint open(Peer peer) throws IOException {
    TurnAllocation granted;
    synchronized (this) {
      requireOpen();
      peers.computeIfAbsent(peer.id(), id -> new PeerRelay()).wanted = true;
      granted = grantedAllocation();
    }
    if (granted == null) {
      throw new IOException("waiting for the TURN allocation on " + server);
    }
    signalling.sendCandidate(peer.id(), Endpoint.of(granted.relayed()));
    synchronized (this) {
      requireOpen();
      PeerRelay state = peers.get(peer.id());
      if (state == null) {
        throw new IOException("the relay to " + peer.id() + " was closed");
      }
      if (state.candidate == null) {
        throw new IOException("waiting for " + peer.id() + "'s relayed address");
      }
      CompletableFuture<RelayForwarder> forwarder = state.forwarder;
      if (forwarder != null && forwarder.isDone() && !forwarder.isCompletedExceptionally()
          && state.candidate.equals(state.forwarderTarget)) {
        return forwarder.join().localEndpoint();
      }
      startForwarderIfPossible(peer.id(), state);
      throw new IOException("binding a TURN channel to " + peer.id() + "'s relayed address " + state.candidate);
    }
  }

  /** Stops relaying for {@code peer} and forgets its relayed address; the allocation stays. */
  @Override
  public void close(Peer peer) {
    PeerRelay state;
    synchronized (this) {
      state = peers.remove(peer.id());
    }
    if (state != null) {
      closeForwarder(state.forwarder);
    }
  }

  /** The granted allocation, if there is one. */
  public synchronized Optional<TurnAllocation> allocation() {
    CompletableFuture<TurnAllocation> current = allocation;
    return current != null && current.isDone() && !current.isCompletedExceptionally()
        ? Optional.of(current.join()) : Optional.empty();
  }

  /** Closes every forwarder and deletes the allocation (waiting at most about a second). */
  @Override
  public void close() {
    List<PeerRelay> states;
    TurnClient oldClient;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      states = new ArrayList<>(peers.values());
      peers.clear();
      oldClient = client;
      client = null;
      allocation = null;
    }
    states.forEach(s -> closeForwarder(s.forwarder));
    if (oldClient != null) {
      oldClient.close();
    }
  }

  /**
   * The granted allocation, null while it is pending (starting it if there is none). A failed one
   * is reported here and dropped by {@link #onAllocation}, so that a later call tries again. Holds
   * the lock.
   */
  private TurnAllocation grantedAllocation() throws IOException {
    CompletableFuture<TurnAllocation> current = allocation;
    if (current == null) {
      TurnCredentials now = credentials.get();
      TurnClient fresh = TurnClient.builder(server, now).timing(timing).build();
      fresh.onAllocationLost(failure -> onAllocationLost(fresh, failure));
      client = fresh;
      LOG.info("allocating a TURN relay on {} as {}", server, now.username());
      CompletableFuture<TurnAllocation> pending = client.allocate();
      allocation = pending;
      pending.whenComplete((granted, failure) -> onAllocation(pending, granted, failure));
      current = pending;
    }
    if (!current.isDone()) {
      return null;
    }
    if (current.isCompletedExceptionally()) {
      Throwable cause = causeOf(current);
      throw new IOException("TURN allocation on " + server + " failed: " + cause.getMessage(), cause);
    }
    return current.join();
  }

  private void onAllocation(CompletableFuture<TurnAllocation> which, TurnAllocation granted, Throwable failure) {
    if (failure != null) {
      LOG.warn("TURN allocation on {} failed: {}; relayed peers wait for the next attempt", server,
          unwrap(failure).getMessage());
      TurnClient failed = null;
      synchronized (this) {
        if (allocation == which) {
          failed = client;
          allocation = null;
          client = null;
        }
      }
      closeLater(failed);
      return;
    }
    List<String> wanted = new ArrayList<>();
    synchronized (this) {
      if (closed || allocation != which) {
        return;
      }
      peers.forEach((peerId, state) -> {
        if (state.wanted) {
          wanted.add(peerId);
          startForwarderIfPossible(peerId, state);
        }
      });
    }
    Endpoint relayed = Endpoint.of(granted.relayed());
    wanted.forEach(peerId -> signalling.sendCandidate(peerId, relayed));
  }

  /**
   * Our allocation could not be refreshed: its relayed address and channels are gone. Every path
   * is rebuilt on a new allocation at once when a peer still needs the relay; the new address is
   * published and each rebuilt path is announced with {@link Signalling#relayReady}.
   */
  private void onAllocationLost(TurnClient which, Throwable failure) {
    List<CompletableFuture<RelayForwarder>> dead = new ArrayList<>();
    synchronized (this) {
      if (closed || client != which) {
        return;
      }
      LOG.warn("TURN allocation on {} lost ({}); allocating a new one", server, failure.getMessage());
      client = null;
      allocation = null;
      boolean needed = false;
      for (PeerRelay state : peers.values()) {
        dead.add(state.forwarder);
        state.forwarder = null;
        state.forwarderTarget = null;
        needed |= state.wanted;
      }
      if (needed) {
        try {
          grantedAllocation();
        } catch (IOException e) {
          LOG.warn("cannot allocate on {} again: {}", server, e.getMessage());
        }
      }
    }
    dead.forEach(TurnRelay::closeForwarder);
    closeLater(which);
  }

  /** Binds a channel to the peer's relayed address when everything it needs is there. Holds the lock. */
  private void startForwarderIfPossible(String peerId, PeerRelay state) {
    CompletableFuture<TurnAllocation> granted = allocation;
    if (closed || !state.wanted || state.candidate == null || granted == null || !granted.isDone()
        || granted.isCompletedExceptionally()) {
      return;
    }
    if (state.forwarder != null && state.candidate.equals(state.forwarderTarget)
        && !state.forwarder.isCompletedExceptionally()) {
      return;
    }
    closeForwarder(state.forwarder);
    Endpoint target = state.candidate;
    CompletableFuture<RelayForwarder> starting = RelayForwarder.start(client, target.toSocketAddress(), wireGuardPort);
    state.forwarder = starting;
    state.forwarderTarget = target;
    starting.whenComplete((forwarder, failure) -> onForwarder(peerId, starting, forwarder, failure));
  }

  private void onForwarder(String peerId, CompletableFuture<RelayForwarder> which, RelayForwarder forwarder,
      Throwable failure) {
    boolean current;
    synchronized (this) {
      PeerRelay state = peers.get(peerId);
      current = !closed && state != null && state.forwarder == which;
      if (current && failure != null) {
        state.forwarder = null;
        state.forwarderTarget = null;
      }
    }
    if (failure != null) {
      if (current) {
        LOG.warn("TURN channel to {}'s relayed address failed: {}", peerId, unwrap(failure).getMessage());
      }
    } else if (current) {
      signalling.relayReady(peerId);
    } else {
      forwarder.close();
    }
  }

  /** Closes a discarded client off the calling thread, which may be that client's own receive thread. */
  private static void closeLater(TurnClient discarded) {
    if (discarded != null) {
      CompletableFuture.runAsync(discarded::close);
    }
  }

  private static void closeForwarder(CompletableFuture<RelayForwarder> forwarder) {
    if (forwarder != null) {
      forwarder.thenAccept(RelayForwarder::close);
    }
  }

  private void requireOpen() throws IOException {
    if (closed) {
      throw new IOException("the TURN relay is closed");
    }
  }

  private static Throwable causeOf(CompletableFuture<?> failed) {
    try {
      failed.join();
      throw new IllegalStateException("future did not fail");
    } catch (CompletionException e) {
      return unwrap(e);
    }
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  @Override
  public String toString() {
    return "TurnRelay[" + server + ", " + credentials.get() + "]";
  }
}
