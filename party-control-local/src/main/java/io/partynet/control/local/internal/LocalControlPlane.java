package io.partynet.control.local.internal;

import io.partynet.Invite;
import io.partynet.InviteOptions;
import io.partynet.Key;
import io.partynet.NotHostException;
import io.partynet.PartyConfig;
import io.partynet.PartyException;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.core.internal.registry.PartyRegistry;
import io.partynet.core.internal.concurrent.DaemonThreads;
import io.partynet.core.internal.concurrent.Shutdown;
import io.partynet.core.internal.registry.RegistrySettings;
import io.partynet.core.internal.settings.Config;
import io.partynet.spi.PeerPresence;
import io.partynet.spi.ControlPlane;
import io.partynet.spi.ControlPlaneListener;
import io.partynet.spi.ControlPlaneListeners;
import io.partynet.spi.Signal;
import java.security.SecureRandom;
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
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A control plane without a server: every member on the machine (or sharing the folder) reads and
 * replaces one discovery file. Each operation is a transaction on the file (see
 * {@link DiscoveryFile}); a poller notices other processes' changes within {@link #POLL_INTERVAL}
 * and delivers their events in order; every member runs the registry's cleanup on its schedule.
 * A member acts only as itself: it may leave, heartbeat, update and signal only as the peer it
 * started as, and kick or disband only when it is the host.
 *
 * <p>Thread-safe. Operations run on one worker thread; the poller hands each event to the executor
 * its listener was registered with, in order.
 */
public final class LocalControlPlane implements ControlPlane, PeerPresence {
  private static final Logger log = LoggerFactory.getLogger(LocalControlPlane.class);
  static final Duration POLL_INTERVAL = Duration.ofMillis(200);

  private final PartyConfig config;
  private final Clock clock;
  private final DiscoveryFile file;
  private final RegistrySettings settings;
  private final SecureRandom random = new SecureRandom();
  private final ExecutorService worker;
  private final ScheduledExecutorService poller;
  private final ControlPlaneListeners listeners = new ControlPlaneListeners();
  private final DiscoveryEventPoller events;
  private volatile String myPeerId;
  private volatile boolean closed;

  public LocalControlPlane(PartyConfig config, Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.file = new DiscoveryFile(config.discoveryFile(), config.requestTimeout(), clock,
        Config.CONTROL_LOCAL_SHARED_DIRECTORY.from(config));
    this.settings = RegistrySettings.from(config);
    this.worker = Executors.newSingleThreadExecutor(DaemonThreads.named("partynet-local-control"));
    this.poller = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("partynet-local-poll"));
    this.events = new DiscoveryEventPoller(file, this::registryOf, listeners);
  }

  @Override
  public String name() {
    return "local";
  }

  @Override
  public CompletableFuture<Void> start(String peerId, Key publicKey) {
    Objects.requireNonNull(peerId, "peerId");
    return call(() -> {
      file.requireTrusted();
      myPeerId = peerId;
      DiscoveryDocument current = file.readUnlocked();
      events.startAfter(current == null ? 0 : current.lastSeq(), peerId);
      long poll = POLL_INTERVAL.toMillis();
      poller.scheduleWithFixedDelay(this::poll, poll, poll, TimeUnit.MILLISECONDS);
      long cleanup = config.cleanupInterval().toMillis();
      poller.scheduleWithFixedDelay(this::cleanup, cleanup, cleanup, TimeUnit.MILLISECONDS);
      log.info("Local control plane on {} as peer {}", file.path(), peerId);
      return null;
    });
  }

  @Override
  public CompletableFuture<PartyInfo> createParty(String partyName, Peer host) {
    return call(() -> {
      requireSelf(host.id());
      PartyInfo info = mutate(registry -> registry.createParty(partyName, host));
      events.watch(info.partyId());
      return info;
    });
  }

  @Override
  public CompletableFuture<PartyInfo> joinParty(String partyId, Peer peer) {
    return call(() -> {
      requireSelf(peer.id());
      PartyInfo info = mutate(registry -> registry.joinParty(partyId, peer));
      events.watch(info.partyId());
      return info;
    });
  }

  @Override
  public CompletableFuture<Void> leaveParty(String partyId, String peerId) {
    return call(() -> {
      requireSelf(peerId);
      mutate(registry -> registry.leaveParty(partyId, peerId));
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> kick(String partyId, String hostId, String peerId) {
    return call(() -> {
      requireHostIsSelf(partyId, hostId);
      mutate(registry -> {
        registry.kick(partyId, hostId, peerId);
        return null;
      });
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> disband(String partyId, String hostId) {
    return call(() -> {
      requireHostIsSelf(partyId, hostId);
      mutate(registry -> {
        registry.disband(partyId, hostId);
        return null;
      });
      return null;
    });
  }

  @Override
  public CompletableFuture<Invite> createInvite(String partyId, String hostId, InviteOptions options) {
    return call(() -> {
      requireHostIsSelf(partyId, hostId);
      return mutate(registry -> registry.createInvite(partyId, hostId, options));
    });
  }

  @Override
  public CompletableFuture<Void> revokeInvite(String partyId, String hostId, String code) {
    return call(() -> {
      requireHostIsSelf(partyId, hostId);
      mutate(registry -> {
        registry.revokeInvite(partyId, hostId, code);
        return null;
      });
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> heartbeat(String partyId, String peerId) {
    return call(() -> {
      requireSelf(peerId);
      mutate(registry -> {
        registry.heartbeat(partyId, peerId);
        return null;
      });
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> updatePeer(String partyId, Peer self) {
    return call(() -> {
      requireSelf(self.id());
      mutate(registry -> registry.updatePeer(partyId, self));
      return null;
    });
  }

  @Override
  public CompletableFuture<Optional<PartyInfo>> getParty(String partyId) {
    return call(() -> {
      DiscoveryDocument doc = file.readUnlocked();
      if (doc == null) {
        return query(registry -> registry.getParty(partyId));
      }
      PartyRegistry registry = registryOf(doc);
      Optional<PartyInfo> info = registry.getParty(partyId);
      info.filter(i -> i.peer(myPeerId) != null).ifPresent(i -> events.watch(i.partyId()));
      return info;
    });
  }

  /** Every member's last heartbeat as the discovery file records it, so status shows a real "last seen". */
  @Override
  public CompletableFuture<Map<String, Instant>> lastSeen(String partyId) {
    return call(() -> {
      DiscoveryDocument doc = file.readUnlocked();
      if (doc == null) {
        return Map.of();
      }
      PartyRegistry registry = registryOf(doc);
      Map<String, Instant> seen = new HashMap<>();
      registry.getParty(partyId).ifPresent(info -> info.peers().forEach(
          peer -> registry.lastSeen(partyId, peer.id()).ifPresent(at -> seen.put(peer.id(), at))));
      return seen;
    });
  }

  @Override
  public CompletableFuture<Void> signal(Signal signal) {
    return call(() -> {
      requireSelf(signal.fromPeerId());
      file.transact(current -> {
        PartyInfo party = registryOf(current).getParty(signal.partyId())
            .orElseThrow(() -> new io.partynet.PartyNotFoundException(signal.partyId()));
        if (party.peer(signal.fromPeerId()) == null || party.peer(signal.toPeerId()) == null) {
          throw PartyException.of(PartyException.Reason.PEER_NOT_FOUND,
              "Both members must be in party " + party.partyId() + " to exchange signals");
        }
        DiscoveryEvent event = new DiscoveryEvent(current.lastSeq() + 1, party.partyId(), DiscoveryEvent.SIGNAL,
            null, null, signal, clock.instant());
        return new DiscoveryFile.Result<>(current.with(current.registry(), List.of(event)), null);
      });
      return null;
    });
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
    poller.shutdown();
    Shutdown.drain(worker, config.requestTimeout());
    Shutdown.drain(poller, Duration.ofSeconds(1));
  }

  /** Applies {@code op} to the registry stored in the file and records the events it caused. */
  private <T> T mutate(Function<PartyRegistry, T> op) {
    return file.transact(current -> {
      PartyRegistry registry = registryOf(current);
      List<DiscoveryEvent> caused = new ArrayList<>();
      registry.addListener(new DiscoveryEventRecorder(caused, current.lastSeq(), clock));
      T value = op.apply(registry);
      return new DiscoveryFile.Result<>(current.with(registry.snapshot(), caused), value);
    });
  }

  private <T> T query(Function<PartyRegistry, T> op) {
    return file.transact(current -> new DiscoveryFile.Result<>(null, op.apply(registryOf(current))));
  }

  private PartyRegistry registryOf(DiscoveryDocument doc) {
    PartyRegistry registry = new PartyRegistry(settings, clock, random);
    registry.restore(doc.registry());
    return registry;
  }

  private void cleanup() {
    if (closed) {
      return;
    }
    try {
      file.transact(current -> {
        PartyRegistry registry = registryOf(current);
        List<DiscoveryEvent> caused = new ArrayList<>();
        registry.addListener(new DiscoveryEventRecorder(caused, current.lastSeq(), clock));
        if (registry.cleanup().isEmpty()) {
          return new DiscoveryFile.Result<>(null, null);
        }
        return new DiscoveryFile.Result<>(current.with(registry.snapshot(), caused), null);
      });
    } catch (RuntimeException e) {
      log.warn("Cleanup of the discovery file failed, will retry: {}", e.getMessage());
    }
  }

  private void poll() {
    if (!closed) {
      events.poll();
    }
  }

  private void requireSelf(String peerId) {
    if (myPeerId == null) {
      throw new IllegalStateException("start() the control plane first");
    }
    if (!myPeerId.equals(peerId)) {
      throw PartyException.of(PartyException.Reason.FORBIDDEN,
          "This member (" + myPeerId + ") can only act as itself, not as " + peerId);
    }
  }

  private void requireHostIsSelf(String partyId, String hostId) {
    requireSelf(hostId);
    PartyInfo info = query(registry -> registry.getParty(partyId))
        .orElseThrow(() -> new io.partynet.PartyNotFoundException(partyId));
    if (!info.hostId().equals(hostId)) {
      throw new NotHostException(info.partyId());
    }
  }

  private <T> CompletableFuture<T> call(java.util.concurrent.Callable<T> body) {
    CompletableFuture<T> future = new CompletableFuture<>();
    if (closed) {
      future.completeExceptionally(new IllegalStateException("control plane closed"));
      return future;
    }
    worker.execute(() -> {
      try {
        future.complete(body.call());
      } catch (Throwable t) {
        future.completeExceptionally(t);
      }
    });
    return future.orTimeout(config.requestTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
  }
}
