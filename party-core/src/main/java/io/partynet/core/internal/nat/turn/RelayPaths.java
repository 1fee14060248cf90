package io.partynet.core.internal.nat.turn;

import io.partynet.Endpoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each peer's relay path through our allocation: the relayed address the peer sent us, and the
 * {@link RelayForwarder} whose TURN channel is bound to it. A forwarder starts once the manager
 * wants the path, the peer's address is known and an allocation is granted (the caller hands in
 * that allocation's client, null while there is none). A changed address or a new allocation
 * moves the channel while the forwarder's loopback port, WireGuard's endpoint, stays the same.
 *
 * <p>Thread-safe. {@link TurnRelay} calls in while holding its own lock (its lock first, then
 * this one; this class never calls back into the relay). {@link TurnRelay.Signalling#relayReady}
 * runs outside the lock.
 */
final class RelayPaths {
  private static final Logger LOG = LoggerFactory.getLogger(RelayPaths.class);

  private final int wireGuardPort;
  private final TurnRelay.Signalling signalling;
  /** Guarded by {@code this}. */
  private final Map<String, Path> paths = new HashMap<>();
  private boolean closed;

  /** What we know about one peer's relay path. Guarded by the {@link RelayPaths}' lock. */
  private static final class Path {
    /** The manager asked for this path (open without close). */
    boolean wanted;
    Endpoint candidate;
    CompletableFuture<RelayForwarder> forwarder;
    Endpoint forwarderTarget;

    /** The forwarder if it runs with its channel bound to the peer's current address, else null. */
    RelayForwarder bound() {
      CompletableFuture<RelayForwarder> current = forwarder;
      return candidate != null && TurnFutures.succeeded(current) && candidate.equals(forwarderTarget) ? current.join() : null;
    }

    /** Forgets the forwarder (its allocation is gone) and returns it, for the caller to close. */
    CompletableFuture<RelayForwarder> detach() {
      CompletableFuture<RelayForwarder> detached = forwarder;
      forwarder = null;
      forwarderTarget = null;
      return detached;
    }
  }

  /** The channels {@link #moveAllTo} moves, and the peers that want the relay. */
  record Rebinding(List<String> wanted, CompletableFuture<Void> moved) {}

  RelayPaths(int wireGuardPort, TurnRelay.Signalling signalling) {
    this.wireGuardPort = wireGuardPort;
    this.signalling = signalling;
  }

  /** The manager asked for the path to {@code peerId}. */
  synchronized void want(String peerId) {
    paths.computeIfAbsent(peerId, id -> new Path()).wanted = true;
  }

  /** {@code peerId}'s relayed address arrived; a repeat changes nothing, a changed one moves the path. */
  synchronized void candidate(String peerId, Endpoint relayed, TurnClient granted) {
    if (closed) {
      return;
    }
    Path path = paths.computeIfAbsent(peerId, id -> new Path());
    if (relayed.equals(path.candidate)) {
      return;
    }
    LOG.info("relayed address of {} is {}", peerId, relayed);
    path.candidate = relayed;
    startIfPossible(peerId, path, granted);
  }

  /**
   * The loopback endpoint of {@code peerId}'s path once its channel is bound.
   *
   * @throws IOException saying what the path waits for (what can start now is started)
   */
  synchronized Endpoint endpoint(String peerId, TurnClient granted) throws IOException {
    Path path = paths.get(peerId);
    if (path == null) {
      throw new IOException("the relay to " + peerId + " was closed");
    }
    if (path.candidate == null) {
      throw new IOException("waiting for " + peerId + "'s relayed address");
    }
    RelayForwarder bound = path.bound();
    if (bound != null) {
      return bound.localEndpoint();
    }
    startIfPossible(peerId, path, granted);
    throw new IOException("binding a TURN channel to " + peerId + "'s relayed address " + path.candidate);
  }

  /** Stops relaying for {@code peerId} and forgets its relayed address. */
  void forget(String peerId) {
    Path path;
    synchronized (this) {
      path = paths.remove(peerId);
    }
    if (path != null) {
      closeForwarder(path.forwarder);
    }
  }

  /** An allocation was granted: starts every wanted path on it; returns the peers that want the relay. */
  synchronized List<String> startAll(TurnClient granted) {
    List<String> wanted = new ArrayList<>();
    paths.forEach((peerId, path) -> {
      if (path.wanted) {
        wanted.add(peerId);
        startIfPossible(peerId, path, granted);
      }
    });
    return wanted;
  }

  /** Whether the manager wants any path (and so an allocation). */
  synchronized boolean anyWanted() {
    return paths.values().stream().anyMatch(path -> path.wanted);
  }

  /** The allocation is gone: every path forgets its forwarder; returns them for the caller to close. */
  synchronized List<CompletableFuture<RelayForwarder>> detachAll() {
    List<CompletableFuture<RelayForwarder>> detached = new ArrayList<>();
    paths.values().forEach(path -> detached.add(path.detach()));
    return detached;
  }

  /**
   * A rotation's allocation was granted: every bound path moves its channel onto {@code fresh}
   * (the old channel keeps delivering meanwhile), every other wanted path starts on it.
   */
  synchronized Rebinding moveAllTo(TurnClient fresh) {
    List<String> wanted = new ArrayList<>();
    List<CompletableFuture<?>> moves = new ArrayList<>();
    paths.forEach((peerId, path) -> {
      if (!path.wanted) {
        return;
      }
      wanted.add(peerId);
      RelayForwarder bound = path.bound();
      if (bound != null) {
        CompletableFuture<RelayForwarder> moving = path.forwarder;
        moves.add(bound.moveTo(fresh, path.candidate.toSocketAddress())
            .whenComplete((moved, failure) -> onMoveFailed(peerId, moving, failure)));
      } else {
        startIfPossible(peerId, path, fresh);
      }
    });
    return new Rebinding(wanted, CompletableFuture.allOf(moves.toArray(CompletableFuture[]::new)));
  }

  /** Closes every forwarder; nothing starts afterwards. */
  void closeAll() {
    List<Path> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(paths.values());
      paths.clear();
    }
    all.forEach(path -> closeForwarder(path.forwarder));
  }

  /** Binds a channel to the peer's relayed address when everything it needs is there. Holds the lock. */
  private void startIfPossible(String peerId, Path path, TurnClient granted) {
    if (closed || !path.wanted || path.candidate == null || granted == null) {
      return;
    }
    if (path.forwarder != null && path.candidate.equals(path.forwarderTarget)
        && !path.forwarder.isCompletedExceptionally()) {
      return;
    }
    CompletableFuture<RelayForwarder> existing = path.forwarder;
    Endpoint target = path.candidate;
    if (TurnFutures.succeeded(existing) && existing.join().turnClient() == granted) {
      // The peer's relayed address changed (its allocation rotated): same loopback port, new channel.
      path.forwarderTarget = target;
      existing.join().moveTo(granted, target.toSocketAddress())
          .whenComplete((moved, failure) -> onMoveFailed(peerId, existing, failure));
      return;
    }
    closeForwarder(existing);
    CompletableFuture<RelayForwarder> starting = RelayForwarder.start(granted, target.toSocketAddress(), wireGuardPort);
    path.forwarder = starting;
    path.forwarderTarget = target;
    starting.whenComplete((forwarder, failure) -> onForwarder(peerId, starting, forwarder, failure));
  }

  /**
   * A forwarder could not move its channel ({@code failure} non-null): it is dropped and closed, so
   * the next {@link TurnRelay#open} binds a new one.
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
      Path path = paths.get(peerId);
      current = !closed && path != null && path.forwarder == which;
      if (current && failure != null) {
        path.detach();
      }
    }
    if (failure != null) {
      if (current) {
        LOG.warn("TURN channel to {}'s relayed address failed: {}", peerId, TurnFutures.unwrap(failure).getMessage());
      }
    } else if (current) {
      signalling.relayReady(peerId);
    } else {
      forwarder.close();
    }
  }

  static void closeForwarder(CompletableFuture<RelayForwarder> forwarder) {
    if (forwarder != null) {
      forwarder.thenAccept(RelayForwarder::close);
    }
  }
}
