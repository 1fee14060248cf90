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
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
 * installs the permission that lets the peer's traffic into our allocation; {@link RelayPaths}),
 * and {@link Signalling#relayReady} says that {@link #open} now returns its loopback endpoint.
 * Until then {@link #open} throws an IOException saying what it waits for; nothing here blocks the
 * caller on the network.
 *
 * <p>A credential with an expiry (the control plane's, TURN REST API) is rotated before it
 * expires, make-before-break ({@link #rotateIfDue}, timed by {@link CredentialRotation}): a second
 * allocation is made with the newer credential, every forwarder moves its channel onto it
 * (WireGuard's endpoint stays the same), the new relayed address is published, and the old
 * allocation is deleted {@link CredentialRotation#RETIRE_AFTER} later, once the peers had time to
 * move.
 *
 * <p>Thread-safe. {@link Signalling} callbacks run on TURN threads (or the caller's) and never
 * while this object's lock is held.
 */
public final class TurnRelay implements ConnectionManager.Relay, AutoCloseable {
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
  private final Supplier<TurnLease> credentials;
  private final StunTiming timing;
  private final Signalling signalling;
  private final Clock clock;
  /** Locked after {@code this}, never before. */
  private final RelayPaths paths;
  /** Guarded by {@code this}. */
  private final CredentialRotation rotation;
  private TurnClient client;
  private CompletableFuture<TurnAllocation> allocation;
  private boolean closed;

  TurnRelay(TurnRelayBuilder b) {
    this.server = b.server;
    this.credentials = b.credentials;
    this.timing = b.timing;
    this.signalling = Objects.requireNonNull(b.signalling, "signalling");
    this.clock = b.clock;
    this.paths = new RelayPaths(b.wireGuardPort, signalling);
    this.rotation = new CredentialRotation(credentials);
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
      if (!closed) {
        paths.candidate(peerId, relayed, grantedClient());
      }
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
      paths.want(peer.id());
      granted = grantedAllocation();
    }
    if (granted == null) {
      throw new IOException("waiting for the TURN allocation on " + server);
    }
    signalling.sendCandidate(peer.id(), Endpoint.of(granted.relayed()));
    synchronized (this) {
      requireOpen();
      return paths.endpoint(peer.id(), grantedClient());
    }
  }

  /** Stops relaying for {@code peer} and forgets its relayed address; the allocation stays. */
  @Override
  public void close(Peer peer) {
    paths.forget(peer.id());
  }

  /** The granted allocation, if there is one. */
  public synchronized Optional<TurnAllocation> allocation() {
    CompletableFuture<TurnAllocation> current = allocation;
    return TurnFutures.succeeded(current) ? Optional.of(current.join()) : Optional.empty();
  }

  /** Closes every forwarder and deletes the allocation (waiting at most about a second). */
  @Override
  public void close() {
    TurnClient oldClient;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      oldClient = client;
      client = null;
      allocation = null;
    }
    paths.closeAll();
    if (oldClient != null) {
      oldClient.close();
    }
  }

  /** The client of the granted allocation, null while there is none. Holds the lock. */
  private TurnClient grantedClient() {
    return !closed && TurnFutures.succeeded(allocation) ? client : null;
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
      rotation.allocatedWith(now, clock.instant());
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
      Throwable cause = TurnFutures.causeOf(current);
      throw new IOException("TURN allocation on " + server + " failed: " + cause.getMessage(), cause);
    }
    return current.join();
  }

  private void onAllocation(CompletableFuture<TurnAllocation> which, TurnAllocation granted, Throwable failure) {
    if (failure != null) {
      LOG.warn("TURN allocation on {} failed: {}; relayed peers wait for the next attempt", server,
          TurnFutures.unwrap(failure).getMessage());
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
    List<String> wanted;
    synchronized (this) {
      if (closed || allocation != which) {
        return;
      }
      wanted = paths.startAll(client);
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
    List<CompletableFuture<RelayForwarder>> dead;
    synchronized (this) {
      if (closed || client != which) {
        return;
      }
      LOG.warn("TURN allocation on {} lost ({}); allocating a new one", server, failure.getMessage());
      client = null;
      allocation = null;
      dead = paths.detachAll();
      if (paths.anyWanted()) {
        try {
          grantedAllocation();
        } catch (IOException e) {
          LOG.warn("cannot allocate on {} again: {}", server, e.getMessage());
        }
      }
    }
    dead.forEach(RelayPaths::closeForwarder);
    closeLater(which);
  }

  /**
   * Starts a rotation when the credential of the granted allocation expires soon and a newer one
   * is available ({@link CredentialRotation#newerLeaseIfDue}); does nothing otherwise, so it may be
   * called often (the connection layer calls it every second). Returns at once.
   */
  public void rotateIfDue() {
    synchronized (this) {
      Instant now = clock.instant();
      if (closed || !TurnFutures.succeeded(allocation)) {
        return;
      }
      Optional<TurnLease> newer = rotation.newerLeaseIfDue(now);
      if (newer.isEmpty()) {
        return;
      }
      TurnLease next = newer.get();
      TurnClient fresh;
      try {
        fresh = TurnClient.builder(server, next.credentials()).timing(timing).build();
      } catch (IOException e) {
        LOG.warn("cannot open a socket for the TURN rotation on {}: {}", server, e.getMessage());
        return;
      }
      fresh.onAllocationLost(failure -> onAllocationLost(fresh, failure));
      LOG.info("rotating the TURN allocation on {} to {} (the credential expires at {})", server,
          next.credentials().username(), rotation.expiresAt());
      CompletableFuture<TurnAllocation> pending = fresh.allocate();
      rotation.started(pending);
      pending.whenComplete((granted, failure) -> onRotated(fresh, pending, next, now, failure));
    }
  }

  /**
   * The rotation's allocation answered: on success it becomes the allocation, every forwarder moves
   * its channel onto it, the peers learn the new relayed address once the channels (and with them
   * the permissions) are there, and the old allocation is retired.
   */
  private void onRotated(TurnClient fresh, CompletableFuture<TurnAllocation> which, TurnLease lease, Instant started,
      Throwable failure) {
    TurnClient old;
    RelayPaths.Rebinding rebinding;
    synchronized (this) {
      boolean current = !closed && rotation.finished(which);
      if (!current || failure != null) {
        if (current) {
          LOG.warn("TURN rotation on {} failed: {}; the current allocation stays, retrying", server,
              TurnFutures.unwrap(failure).getMessage());
        }
        closeLater(fresh);
        return;
      }
      old = client;
      client = fresh;
      allocation = which;
      rotation.allocatedWith(lease, started);
      rebinding = paths.moveAllTo(fresh);
    }
    Endpoint relayed = Endpoint.of(which.join().relayed());
    // Published once the channels, and with them the permissions, exist on the new allocation.
    rebinding.moved().whenComplete((ok, e) -> rebinding.wanted().forEach(peerId -> signalling.sendCandidate(peerId, relayed)));
    CredentialRotation.retireLater(old, server);
  }

  /** Closes a discarded client off the calling thread, which may be that client's own receive thread. */
  private static void closeLater(TurnClient discarded) {
    if (discarded != null) {
      CompletableFuture.runAsync(discarded::close);
    }
  }

  private void requireOpen() throws IOException {
    if (closed) {
      throw new IOException("the TURN relay is closed");
    }
  }

  @Override
  public String toString() {
    return "TurnRelay[" + server + ", " + credentials.get().credentials() + "]";
  }
}
