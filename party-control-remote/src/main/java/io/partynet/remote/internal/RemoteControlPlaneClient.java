package io.partynet.remote.internal;

import com.fasterxml.jackson.databind.JavaType;
import io.partynet.ControlPlaneUnavailableException;
import io.partynet.Invite;
import io.partynet.InviteOptions;
import io.partynet.Key;
import io.partynet.PartyConfig;
import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.protocol.internal.CreateInviteRequest;
import io.partynet.protocol.internal.CreatePartyRequest;
import io.partynet.protocol.internal.IceServersResponse;
import io.partynet.protocol.internal.IdempotencyKey;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.remote.internal.RestTransport.Call;
import io.partynet.spi.Backoff;
import io.partynet.spi.ControlPlane;
import io.partynet.spi.ControlPlaneListener;
import io.partynet.spi.ControlPlaneListeners;
import io.partynet.spi.IceServers;
import io.partynet.spi.Signal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code remote} control plane: talks to party-control-server over HTTP(S) (commands) and one
 * WebSocket (events), as specified in {@code docs/control-plane-protocol.md}.
 *
 * <p>{@link #start} registers the peer (or reuses the token saved for this server and peer id) and
 * fails fast with {@link ControlPlaneUnavailableException} when the server cannot be reached. Then
 * the event stream is kept open, reconnecting with backoff and resuming from the last sequence
 * number of every party; unless turned off, heartbeats go out on a schedule for every party this
 * client is in. When
 * the server refuses the token (it lost its database), the client registers again and carries on.
 *
 * <p>Thread-safe. Commands run on a small pool of the client's threads; events are handed, in
 * order, from the event stream's thread to the executor each listener was registered with.
 */
public final class RemoteControlPlaneClient implements ControlPlane {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteControlPlaneClient.class);
  private static final JavaType PARTY_RESPONSE =
      ProtocolJson.lenient().constructType(io.partynet.protocol.internal.PartyResponse.class);

  private final ServerList servers;
  private final RestTransport rest;
  private final Duration heartbeatInterval;
  private final boolean autoHeartbeat;
  private final Duration requestTimeout;
  private final Backoff backoff;
  private final SSLContext sslContext;
  private final ExecutorService commands;
  private final ScheduledExecutorService scheduler;
  private final ControlPlaneListeners listeners = new ControlPlaneListeners();
  private final RemoteAuthenticator auth;
  private final PartyEventFollower events;
  private final IceServerRefresher iceServers;
  private volatile ScheduledFuture<?> heartbeats;

  RemoteControlPlaneClient(RemoteControlPlaneClientBuilder b) {
    this.servers = new ServerList(b.servers);
    this.requestTimeout = b.requestTimeout;
    this.heartbeatInterval = b.heartbeatInterval;
    this.autoHeartbeat = b.autoHeartbeat;
    this.backoff = new Backoff(b.initialBackoff, b.maxBackoff, Backoff.Jitter.EQUAL, b.random::nextDouble);
    this.sslContext = b.sslContext;
    OkHttpClient http = RestTransport.httpClient(b.requestTimeout, b.sslContext, b.trustManager);
    this.rest = new RestTransport(http, servers, backoff, b.sleeper, b.maxAttempts);
    this.commands = Executors.newFixedThreadPool(2, daemon("partynet-remote-call"));
    this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("partynet-remote-timer"));
    this.auth = new RemoteAuthenticator(rest, servers, b.tokenStore, b.keyring);
    this.events = new PartyEventFollower(auth, servers, listeners);
    this.iceServers = new IceServerRefresher(() -> auth.authed(t -> rest.execute(
        Call.of("GET", Protocol.ICE_SERVERS, null, t, true).once(), IceServersResponse.class)),
        scheduler, commands, backoff, java.time.Clock.systemUTC());
  }

  /** A client for the server at {@code server} ({@code http://} or {@code https://}). */
  public static RemoteControlPlaneClientBuilder builder(URI server) {
    return new RemoteControlPlaneClientBuilder(List.of(server));
  }

  /**
   * A client for a deployment of several server instances (1 to 8 URLs, e.g. an active one and
   * its standby): it uses the first and moves to the next whenever the one in use cannot be reached.
   */
  public static RemoteControlPlaneClientBuilder builder(List<URI> servers) {
    return new RemoteControlPlaneClientBuilder(servers);
  }

  /**
   * A client configured from {@code config}: server URL from {@link PartyConfig#controlServer()},
   * timeouts from the config, tokens saved in {@code <home>/control-tokens.json} (mode 0600), no
   * heartbeats of its own (the party manager sends them).
   */
  public static RemoteControlPlaneClient fromConfig(PartyConfig config) {
    List<URI> servers = ServerList.serversOf(config);
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("control.mode=remote needs control.server-url (or control.server-urls)");
    }
    return builder(servers)
        .requestTimeout(config.requestTimeout())
        .heartbeatInterval(config.heartbeatInterval())
        .autoHeartbeat(false)
        .tokenStore(TokenStore.inFile(config.home().resolve("control-tokens.json")))
        .keyring(publicKey -> KeyPossession.privateKeyFromKeysDir(config.keysDir(), publicKey))
        .build();
  }

  @Override
  public String name() {
    return "remote";
  }

  @Override
  public CompletableFuture<Void> start(String peerId, Key publicKey) {
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(publicKey, "publicKey");
    return run(() -> {
      auth.identity(peerId, publicKey);
      auth.authenticate(true);
      startBackground();
      iceServers.start();
      return null;
    });
  }

  @Override
  public CompletableFuture<PartyInfo> createParty(String partyName, Peer host) {
    return run(() -> events.follow(auth.authed(t -> rest.execute(
        Call.of("POST", Protocol.PARTIES, new CreatePartyRequest(partyName, host), t, false), PARTY_RESPONSE))));
  }

  /**
   * Every attempt of one join carries the same {@link Protocol#IDEMPOTENCY_KEY} (also after a new
   * registration), so the server can refuse a late copy of it once the membership it made has ended.
   */
  @Override
  public CompletableFuture<PartyInfo> joinParty(String partyId, Peer peer) {
    IdempotencyKey key = IdempotencyKey.random();
    return run(() -> events.follow(auth.authed(t -> rest.execute(
        Call.of("POST", Protocol.members(partyId), peer, t, true).withIdempotencyKey(key), PARTY_RESPONSE))));
  }

  @Override
  public CompletableFuture<Void> leaveParty(String partyId, String peerId) {
    return run(() -> {
      alreadyGoneIsDone(() -> auth.authed(t -> rest.execute(
          Call.of("DELETE", Protocol.member(partyId, peerId), null, t, true), (Class<?>) null)), true);
      events.unfollow(partyId);
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> kick(String partyId, String hostId, String peerId) {
    return run(() -> {
      auth.authed(t -> rest.execute(Call.of("POST", Protocol.kick(partyId, peerId), null, t, false), (Class<?>) null));
      return null;
    });
  }

  @Override
  public CompletableFuture<Invite> createInvite(String partyId, String hostId, InviteOptions options) {
    return run(() -> auth.authed(t -> rest.execute(
        Call.of("POST", Protocol.invites(partyId), CreateInviteRequest.of(options), t, false), Invite.class)));
  }

  @Override
  public CompletableFuture<Void> revokeInvite(String partyId, String hostId, String code) {
    return run(() -> {
      auth.authed(t -> rest.execute(Call.of("DELETE", Protocol.invite(partyId, code), null, t, true), (Class<?>) null));
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> disband(String partyId, String hostId) {
    return run(() -> {
      alreadyGoneIsDone(() -> auth.authed(t -> rest.execute(
          Call.of("DELETE", Protocol.party(partyId), null, t, true), (Class<?>) null)), false);
      events.unfollow(partyId);
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> heartbeat(String partyId, String peerId) {
    return run(() -> {
      auth.authed(t -> rest.execute(Call.of("POST", Protocol.heartbeat(partyId, peerId), null, t, true), (Class<?>) null));
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> updatePeer(String partyId, Peer self) {
    return run(() -> {
      auth.authed(t -> rest.execute(Call.of("PUT", Protocol.member(partyId, self.id()), self, t, true), Peer.class));
      return null;
    });
  }

  @Override
  public CompletableFuture<Optional<PartyInfo>> getParty(String partyId) {
    return run(() -> {
      try {
        io.partynet.protocol.internal.PartyResponse answer = auth.authed(t -> rest.execute(
            Call.of("GET", Protocol.party(partyId), null, t, true), PARTY_RESPONSE));
        return Optional.of(answer.party());
      } catch (PartyException e) {
        if (e.reason() == Reason.PARTY_NOT_FOUND) {
          return Optional.empty();
        }
        throw e;
      }
    });
  }

  @Override
  public CompletableFuture<Void> signal(Signal signal) {
    return run(() -> {
      auth.authed(t -> rest.execute(Call.of("POST", Protocol.signals(signal.partyId()), signal, t, false), (Class<?>) null));
      return null;
    });
  }

  /** The servers from {@code GET /v1/ice-servers}, refreshed before their credential expires. */
  @Override
  public Optional<IceServers> iceServers() {
    return iceServers.current();
  }

  @Override
  public void addListener(ControlPlaneListener listener, Executor executor) {
    events.addListener(listener, executor);
  }

  @Override
  public void removeListener(ControlPlaneListener listener) {
    listeners.remove(listener);
  }

  /** True while the event stream is open and resumed. */
  public boolean isConnected() {
    return events.isConnected();
  }

  @Override
  public void close() {
    ScheduledFuture<?> beat = heartbeats;
    if (beat != null) {
      beat.cancel(false);
    }
    events.close();
    scheduler.shutdownNow();
    commands.shutdownNow();
    rest.close();
  }

  /**
   * Leave and disband are idempotent: when the membership or party is already gone (for example a
   * retried attempt whose first try succeeded), the goal is reached and the call succeeds. For
   * leave, "not a member" also means the goal is reached.
   */
  private static void alreadyGoneIsDone(Runnable call, boolean notMemberIsGone) {
    try {
      call.run();
    } catch (PartyException e) {
      boolean gone = e.reason() == Reason.PARTY_NOT_FOUND || e.reason() == Reason.PEER_NOT_FOUND
          || (notMemberIsGone && e.reason() == Reason.NOT_IN_PARTY);
      if (!gone) {
        throw e;
      }
      LOG.debug("already gone: {}", e.getMessage());
    }
  }

  // ---- event stream and heartbeats ----

  private void startBackground() {
    boolean opened = events.start(handler -> new EventStream(servers::currentEvents, auth::token,
        sslContext == null ? null : sslContext.getSocketFactory(), requestTimeout, backoff, scheduler, handler));
    if (opened && autoHeartbeat) {
      long period = heartbeatInterval.toMillis();
      heartbeats = scheduler.scheduleAtFixedRate(this::sendHeartbeats, period, period, TimeUnit.MILLISECONDS);
    }
  }

  private void sendHeartbeats() {
    for (String partyId : events.followedParties()) {
      heartbeat(partyId, auth.peerId()).whenComplete((ok, error) -> {
        if (error != null) {
          LOG.debug("heartbeat for party {} failed: {}", partyId, error.toString());
        }
      });
    }
  }

  // ---- plumbing ----

  private <T> CompletableFuture<T> run(Supplier<T> work) {
    CompletableFuture<T> future = new CompletableFuture<>();
    try {
      commands.execute(() -> {
        try {
          future.complete(work.get());
        } catch (RuntimeException e) {
          future.completeExceptionally(e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      future.completeExceptionally(PartyException.of(Reason.INVALID_ARGUMENT,
          "the remote control plane client is closed; create a new one"));
    }
    return future.orTimeout(requestTimeout.toMillis() * 8, TimeUnit.MILLISECONDS);
  }

  // Not party-core's DaemonThreads: this client depends on party-api and party-protocol only (issue 10).
  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
