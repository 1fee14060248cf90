package io.partynet.core.internal.nat.turn;

import io.partynet.Endpoint;
import io.partynet.Peer;
import io.partynet.core.internal.connection.ConnectionManager;
import io.partynet.core.internal.connection.PartySignals;
import io.partynet.core.internal.nat.discovery.StunTiming;
import io.partynet.spi.Signal;
import java.io.IOException;
import java.net.InetAddress;
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
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
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
 * <p>A credential with an expiry (the control plane's, TURN REST API) is rotated before it
 * expires, make-before-break ({@link #rotateIfDue}): a second allocation is made with the newer
 * credential, every forwarder moves its channel onto it (WireGuard's endpoint stays the same), the
 * new relayed address is published, and the old allocation is deleted {@link #RETIRE_AFTER} later,
 * once the peers had time to move. An allocation thus never depends on a credential past its
 * expiry, whether or not the server checks it again on refreshes (coturn does not; RFC 8656
 * servers may).
 *
 * <p>Thread-safe. {@link Signalling} callbacks run on TURN threads (or the caller's) and never
 * while this object's lock is held.
 */
public final class TurnRelay implements ConnectionManager.Relay, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TurnRelay.class);
  /** How long the old allocation keeps delivering after a rotation, while the peers move to the new one. */
  static final Duration RETIRE_AFTER = Duration.ofSeconds(15);
  /** A rotation starts this share of the credential's life before its expiry (at most {@link #ROTATE_BEFORE_MAX}). */
  private static final int ROTATE_BEFORE_DIVISOR = 5;
  private static final Duration ROTATE_BEFORE_MAX = Duration.ofMinutes(2);

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
  private final Supplier<TurnLease> credentials;
  private final StunTiming timing;
  private final int wireGuardPort;
  private final Signalling signalling;
  private final Clock clock;
  /** Guarded by {@code this}. */
  private final Map<String, PeerRelay> peers = new HashMap<>();
  private TurnClient client;
  private CompletableFuture<TurnAllocation> allocation;
  /** The credential {@link #client} allocated with, and when it was asked for; null before the first allocation. */
  private TurnLease inUse;
  private Instant allocatedAt;
  /** The allocation a rotation is making, or null. */
  private CompletableFuture<TurnAllocation> rotating;
  private boolean closed;

  /** What we know about one peer's relay path. Guarded by the relay's lock. */
  private static final class PeerRelay {
    /** The manager asked for this path (open without close). */
    boolean wanted;
    Endpoint candidate;
    CompletableFuture<RelayForwarder> forwarder;
    Endpoint forwarderTarget;
  }

  TurnRelay(TurnRelayBuilder b) {
    this.server = b.server;
    this.credentials = b.credentials;
    this.timing = b.timing;
    this.wireGuardPort = b.wireGuardPort;
    this.signalling = Objects.requireNonNull(b.signalling, "signalling");
    this.clock = b.clock;
  }

  public static TurnRelayBuilder builder(Endpoint server, TurnCredentials credentials) {
    Objects.requireNonNull(credentials, "credentials");
    TurnLease forever = new TurnLease(credentials, null);
    return new TurnRelayBuilder(server, () -> forever);
  }

  /** A relay whose credential comes from {@code leases} at each allocation (and is rotated before it expires). */
  static TurnRelayBuilder builder(Endpoint server, Supplier<TurnLease> leases) {
    return new TurnRelayBuilder(server, Objects.requireNonNull(leases, "leases"));
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
      TurnLease now = credentials.get();
      TurnClient fresh = TurnClient.builder(server, now.credentials()).timing(timing).build();
      fresh.onAllocationLost(failure -> onAllocationLost(fresh, failure));
      client = fresh;
      inUse = now;
      allocatedAt = clock.instant();
      LOG.info("allocating a TURN relay on {} as {}", server, now.credentials().username());
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

  /**
   * Starts a rotation when the credential of the granted allocation expires soon (the last fifth
   * of its life, at most two minutes) and a newer one is available; does nothing otherwise, so it
   * may be called often (the connection layer calls it every second). Returns at once.
   */
  public void rotateIfDue() {
    TurnClient fresh;
    CompletableFuture<TurnAllocation> pending;
    synchronized (this) {
      Instant now = clock.instant();
      CompletableFuture<TurnAllocation> current = allocation;
      if (closed || rotating != null || inUse == null || inUse.expiresAt() == null || current == null
          || !current.isDone() || current.isCompletedExceptionally()) {
        return;
      }
      Duration life = Duration.between(allocatedAt, inUse.expiresAt());
      Duration before = life.isNegative() ? Duration.ZERO : life.dividedBy(ROTATE_BEFORE_DIVISOR);
      if (now.isBefore(inUse.expiresAt().minus(before.compareTo(ROTATE_BEFORE_MAX) > 0 ? ROTATE_BEFORE_MAX : before))) {
        return;
      }
      TurnLease latest = credentials.get();
      if (latest.expiresAt() == null || !latest.expiresAt().isAfter(inUse.expiresAt())) {
        return; // the control plane has not handed out a newer credential yet: next call
      }
      try {
        fresh = TurnClient.builder(server, latest.credentials()).timing(timing).build();
      } catch (IOException e) {
        LOG.warn("cannot open a socket for the TURN rotation on {}: {}", server, e.getMessage());
        return;
      }
      fresh.onAllocationLost(failure -> onAllocationLost(fresh, failure));
      LOG.info("rotating the TURN allocation on {} to {} (the credential expires at {})", server,
          latest.credentials().username(), inUse.expiresAt());
      pending = fresh.allocate();
      rotating = pending;
      TurnLease next = latest;
      pending.whenComplete((granted, failure) -> onRotated(fresh, pending, next, now, failure));
    }
  }

  /**
   * The rotation's allocation answered: on success it becomes the allocation, every forwarder moves
   * its channel onto it, the peers learn the new relayed address once the channels (and with them
   * the permissions) are there, and the old allocation is deleted {@link #RETIRE_AFTER} later.
   */
  private void onRotated(TurnClient fresh, CompletableFuture<TurnAllocation> which, TurnLease lease, Instant started,
      Throwable failure) {
    TurnClient old;
    List<String> wanted = new ArrayList<>();
    List<CompletableFuture<?>> moves = new ArrayList<>();
    synchronized (this) {
      boolean current = !closed && rotating == which;
      if (current) {
        rotating = null;
      }
      if (!current || failure != null) {
        if (current) {
          LOG.warn("TURN rotation on {} failed: {}; the current allocation stays, retrying", server,
              unwrap(failure).getMessage());
        }
        closeLater(fresh);
        return;
      }
      old = client;
      client = fresh;
      allocation = which;
      inUse = lease;
      allocatedAt = started;
      peers.forEach((peerId, state) -> {
        if (!state.wanted) {
          return;
        }
        wanted.add(peerId);
        CompletableFuture<RelayForwarder> forwarder = state.forwarder;
        if (state.candidate != null && forwarder != null && forwarder.isDone() && !forwarder.isCompletedExceptionally()
            && state.candidate.equals(state.forwarderTarget)) {
          moves.add(forwarder.join().moveTo(fresh, state.candidate.toSocketAddress())
              .whenComplete((moved, e) -> onMoveFailed(peerId, forwarder, e)));
        } else {
          startForwarderIfPossible(peerId, state);
        }
      });
    }
    Endpoint relayed = Endpoint.of(which.join().relayed());
    // Published once the channels, and with them the permissions, exist on the new allocation.
    CompletableFuture.allOf(moves.toArray(CompletableFuture[]::new))
        .whenComplete((ok, e) -> wanted.forEach(peerId -> signalling.sendCandidate(peerId, relayed)));
    CompletableFuture.delayedExecutor(RETIRE_AFTER.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
      old.close();
      LOG.info("retired the previous TURN allocation on {}", server);
    });
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
    CompletableFuture<RelayForwarder> existing = state.forwarder;
    if (existing != null && existing.isDone() && !existing.isCompletedExceptionally()
        && existing.join().turnClient() == client) {
      // The peer's relayed address changed (its allocation rotated): same loopback port, new channel.
      Endpoint target = state.candidate;
      state.forwarderTarget = target;
      existing.join().moveTo(client, target.toSocketAddress())
          .whenComplete((moved, failure) -> onMoveFailed(peerId, existing, failure));
      return;
    }
    closeForwarder(state.forwarder);
    Endpoint target = state.candidate;
    CompletableFuture<RelayForwarder> starting = RelayForwarder.start(client, target.toSocketAddress(), wireGuardPort);
    state.forwarder = starting;
    state.forwarderTarget = target;
    starting.whenComplete((forwarder, failure) -> onForwarder(peerId, starting, forwarder, failure));
  }

  /**
   * A forwarder could not move its channel ({@code failure} non-null): it is dropped and closed, so
   * the next {@link #open} binds a new one.
   */
  private void onMoveFailed(String peerId, CompletableFuture<RelayForwarder> which, Throwable failure) {
    if (failure != null) {
      onForwarder(peerId, which, null, failure);
      closeForwarder(which);
    }
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
    return "TurnRelay[" + server + ", " + credentials.get().credentials() + "]";
  }
}
