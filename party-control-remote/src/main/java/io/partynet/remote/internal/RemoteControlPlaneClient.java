package io.partynet.remote.internal;

import com.fasterxml.jackson.databind.JavaType;
import io.partynet.ControlPlaneUnavailableException;
import io.partynet.DisbandReason;
import io.partynet.Invite;
import io.partynet.InviteOptions;
import io.partynet.Key;
import io.partynet.LeaveReason;
import io.partynet.PartyConfig;
import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.protocol.internal.Account;
import io.partynet.protocol.internal.CreateInviteRequest;
import io.partynet.protocol.internal.CreatePartyRequest;
import io.partynet.protocol.internal.EventMessage;
import io.partynet.protocol.internal.IceServersResponse;
import io.partynet.protocol.internal.IdempotencyKey;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.protocol.internal.RegisterResponse;
import io.partynet.protocol.internal.ResumeMessage;
import io.partynet.protocol.internal.X25519;
import io.partynet.remote.internal.RestTransport.Call;
import io.partynet.spi.Backoff;
import io.partynet.spi.ControlPlane;
import io.partynet.spi.ControlPlaneListener;
import io.partynet.spi.ControlPlaneListeners;
import io.partynet.spi.IceServers;
import io.partynet.spi.SettingKey;
import io.partynet.spi.Signal;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
import javax.net.ssl.X509TrustManager;
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
  /** Several servers of one deployment, first one used first (docs/configuration.md has the same rule). */
  static final SettingKey<List<String>> SERVER_URLS = SettingKey.ofStringList("control.server-urls", List.of())
      .requiring(urls -> urls.size() <= 8 && urls.stream().allMatch(RemoteControlPlaneClient::isHttpUrl),
          "at most 8 absolute http(s) URLs");
  private static final JavaType PARTY_RESPONSE =
      ProtocolJson.lenient().constructType(io.partynet.protocol.internal.PartyResponse.class);

  private final ServerList servers;
  private final RestTransport rest;
  private final TokenStore tokens;
  private final Duration heartbeatInterval;
  private final boolean autoHeartbeat;
  private final Duration requestTimeout;
  private final Backoff backoff;
  private final SSLContext sslContext;
  /** The private key of a public key, read only when registering (to prove possession); never sent. */
  private final java.util.function.Function<Key, Key> keyring;
  private final ExecutorService commands;
  private final ScheduledExecutorService scheduler;
  private final ControlPlaneListeners listeners = new ControlPlaneListeners();
  /** Parties this client follows, with the last event sequence number seen for each. */
  private final Map<String, Long> followed = new ConcurrentHashMap<>();
  private final Object authLock = new Object();
  private volatile String peerId;
  private volatile Key publicKey;
  private volatile String token;
  private final IceServerRefresher iceServers;
  private volatile EventStream stream;
  private volatile ScheduledFuture<?> heartbeats;
  private volatile boolean connected;

  private RemoteControlPlaneClient(Builder b) {
    this.servers = new ServerList(b.servers);
    this.requestTimeout = b.requestTimeout;
    this.heartbeatInterval = b.heartbeatInterval;
    this.autoHeartbeat = b.autoHeartbeat;
    this.tokens = b.tokenStore;
    this.backoff = new Backoff(b.initialBackoff, b.maxBackoff, Backoff.Jitter.EQUAL, b.random::nextDouble);
    this.sslContext = b.sslContext;
    this.keyring = b.keyring;
    // The protocol never redirects: a 3xx would carry tokens and proofs to wherever it points.
    OkHttpClient.Builder http = new OkHttpClient.Builder()
        .followRedirects(false)
        .followSslRedirects(false)
        .connectTimeout(b.requestTimeout)
        .readTimeout(b.requestTimeout)
        .writeTimeout(b.requestTimeout)
        .callTimeout(b.requestTimeout)
        .retryOnConnectionFailure(false);
    if (b.sslContext != null) {
      http.sslSocketFactory(b.sslContext.getSocketFactory(), b.trustManager);
    }
    this.rest = new RestTransport(http.build(), servers, backoff, b.sleeper, b.maxAttempts);
    this.commands = Executors.newFixedThreadPool(2, daemon("partynet-remote-call"));
    this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("partynet-remote-timer"));
    this.iceServers = new IceServerRefresher(() -> authed(t -> rest.execute(
        Call.of("GET", Protocol.ICE_SERVERS, null, t, true).once(), IceServersResponse.class)),
        scheduler, commands, backoff, java.time.Clock.systemUTC());
  }

  /** A client for the server at {@code server} ({@code http://} or {@code https://}). */
  public static Builder builder(URI server) {
    return new Builder(List.of(server));
  }

  /**
   * A client for a deployment of several server instances (1 to 8 URLs, e.g. an active one and
   * its standby): it uses the first and moves to the next whenever the one in use cannot be reached.
   */
  public static Builder builder(List<URI> servers) {
    return new Builder(servers);
  }

  /**
   * A client configured from {@code config}: server URL from {@link PartyConfig#controlServer()},
   * timeouts from the config, tokens saved in {@code <home>/control-tokens.json} (mode 0600), no
   * heartbeats of its own (the party manager sends them).
   */
  public static RemoteControlPlaneClient fromConfig(PartyConfig config) {
    List<URI> servers = serversOf(config);
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
      this.peerId = peerId;
      this.publicKey = publicKey;
      authenticate(true);
      startBackground();
      iceServers.start();
      return null;
    });
  }

  @Override
  public CompletableFuture<PartyInfo> createParty(String partyName, Peer host) {
    return run(() -> follow(authed(t -> rest.execute(
        Call.of("POST", Protocol.PARTIES, new CreatePartyRequest(partyName, host), t, false), PARTY_RESPONSE))));
  }

  /**
   * Every attempt of one join carries the same {@link Protocol#IDEMPOTENCY_KEY} (also after a new
   * registration), so the server can refuse a late copy of it once the membership it made has ended.
   */
  @Override
  public CompletableFuture<PartyInfo> joinParty(String partyId, Peer peer) {
    IdempotencyKey key = IdempotencyKey.random();
    return run(() -> follow(authed(t -> rest.execute(
        Call.of("POST", Protocol.members(partyId), peer, t, true).withIdempotencyKey(key), PARTY_RESPONSE))));
  }

  @Override
  public CompletableFuture<Void> leaveParty(String partyId, String peerId) {
    return run(() -> {
      alreadyGoneIsDone(() -> authed(t -> rest.execute(
          Call.of("DELETE", Protocol.member(partyId, peerId), null, t, true), (Class<?>) null)), true);
      followed.remove(partyId);
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> kick(String partyId, String hostId, String peerId) {
    return run(() -> {
      authed(t -> rest.execute(Call.of("POST", Protocol.kick(partyId, peerId), null, t, false), (Class<?>) null));
      return null;
    });
  }

  @Override
  public CompletableFuture<Invite> createInvite(String partyId, String hostId, InviteOptions options) {
    return run(() -> authed(t -> rest.execute(
        Call.of("POST", Protocol.invites(partyId), CreateInviteRequest.of(options), t, false), Invite.class)));
  }

  @Override
  public CompletableFuture<Void> revokeInvite(String partyId, String hostId, String code) {
    return run(() -> {
      authed(t -> rest.execute(Call.of("DELETE", Protocol.invite(partyId, code), null, t, true), (Class<?>) null));
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> disband(String partyId, String hostId) {
    return run(() -> {
      alreadyGoneIsDone(() -> authed(t -> rest.execute(
          Call.of("DELETE", Protocol.party(partyId), null, t, true), (Class<?>) null)), false);
      followed.remove(partyId);
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> heartbeat(String partyId, String peerId) {
    return run(() -> {
      authed(t -> rest.execute(Call.of("POST", Protocol.heartbeat(partyId, peerId), null, t, true), (Class<?>) null));
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> updatePeer(String partyId, Peer self) {
    return run(() -> {
      authed(t -> rest.execute(Call.of("PUT", Protocol.member(partyId, self.id()), self, t, true), Peer.class));
      return null;
    });
  }

  @Override
  public CompletableFuture<Optional<PartyInfo>> getParty(String partyId) {
    return run(() -> {
      try {
        io.partynet.protocol.internal.PartyResponse answer = authed(t -> rest.execute(
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
      authed(t -> rest.execute(Call.of("POST", Protocol.signals(signal.partyId()), signal, t, false), (Class<?>) null));
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
    listeners.add(listener, executor);
  }

  @Override
  public void removeListener(ControlPlaneListener listener) {
    listeners.remove(listener);
  }

  /** True while the event stream is open and resumed. */
  public boolean isConnected() {
    return connected;
  }

  @Override
  public void close() {
    ScheduledFuture<?> beat = heartbeats;
    if (beat != null) {
      beat.cancel(false);
    }
    EventStream s = stream;
    if (s != null) {
      s.close();
    }
    scheduler.shutdownNow();
    commands.shutdownNow();
    rest.close();
  }

  // ---- authentication ----

  /**
   * Makes sure {@link #token} is valid: reuses a saved token when the server still accepts it,
   * otherwise registers. {@code once} limits every call to one attempt (start must fail fast).
   */
  private void authenticate(boolean once) {
    synchronized (authLock) {
      Optional<String> saved = token != null ? Optional.of(token) : tokens.load(servers.primary().toString(), peerId);
      if (saved.isPresent()) {
        try {
          Call me = Call.of("GET", Protocol.ME, null, saved.get(), true);
          Account account = rest.execute(once ? me.once() : me, Account.class);
          if (account.peerId().equals(peerId) && publicKey.toBase64().equals(account.publicKey())) {
            token = saved.get();
            return;
          }
          LOG.info("saved control-plane token belongs to another identity; registering again");
        } catch (PartyException e) {
          if (e.reason() != Reason.UNAUTHORIZED) {
            throw e;
          }
          LOG.info("the control plane server no longer knows this peer's token; registering again");
        }
      }
      Call register = Call.of("POST", Protocol.PEERS, KeyPossession.provenRegistration(rest, keyring, peerId, publicKey, once), null, false);
      RegisterResponse answer = rest.execute(once ? register.once() : register, RegisterResponse.class);
      token = answer.token();
      tokens.save(servers.primary().toString(), peerId, answer.token());
    }
  }

  private interface AuthedCall<T> {
    T call(String token);
  }

  /** Runs {@code call} with the token; when the server refuses it, registers again and retries once. */
  private <T> T authed(AuthedCall<T> call) {
    String t = token;
    if (t == null) {
      throw PartyException.of(Reason.INVALID_ARGUMENT, "the remote control plane is not started: call start() first");
    }
    try {
      return call.call(t);
    } catch (PartyException e) {
      if (e.reason() != Reason.UNAUTHORIZED) {
        throw e;
      }
      synchronized (authLock) {
        if (t.equals(token)) {
          token = null;
          authenticate(false);
        }
      }
      return call.call(token);
    }
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

  // ---- events ----

  private PartyInfo follow(io.partynet.protocol.internal.PartyResponse answer) {
    KeyPossession.requireDistinctKeys(answer.party());
    followed.merge(answer.party().partyId(), answer.seq(), Math::max);
    return answer.party();
  }

  private void startBackground() {
    if (stream != null) {
      return;
    }
    EventStream s = new EventStream(servers::currentEvents, () -> token,
        sslContext == null ? null : sslContext.getSocketFactory(), requestTimeout, backoff, scheduler,
        new StreamHandler());
    stream = s;
    s.start();
    if (autoHeartbeat) {
      long period = heartbeatInterval.toMillis();
      heartbeats = scheduler.scheduleAtFixedRate(this::sendHeartbeats, period, period, TimeUnit.MILLISECONDS);
    }
  }

  private void sendHeartbeats() {
    for (String partyId : followed.keySet()) {
      heartbeat(partyId, peerId).whenComplete((ok, error) -> {
        if (error != null) {
          LOG.debug("heartbeat for party {} failed: {}", partyId, error.toString());
        }
      });
    }
  }

  private final class StreamHandler implements EventStream.Handler {
    @Override
    public boolean beforeConnect() {
      try {
        authenticate(true);
        return true;
      } catch (PartyException e) {
        LOG.debug("control plane server not ready for the event stream: {}", e.getMessage());
        return false;
      }
    }

    @Override
    public String helloFrame() {
      return ProtocolJson.write(ResumeMessage.of(Map.copyOf(followed)));
    }

    @Override
    public void onText(String text) {
      EventMessage event;
      try {
        event = ProtocolJson.lenient().readValue(text, EventMessage.class);
      } catch (IOException | RuntimeException e) {
        LOG.warn("ignoring an event the client cannot read: {}", e.getMessage());
        return;
      }
      handle(event);
    }

    @Override
    public void onDisconnected(String why) {
      if (connected) {
        connected = false;
        listeners.emit(l -> l.onConnectivityChanged(false, why));
      }
    }
  }

  private void handle(EventMessage event) {
    switch (event.type()) {
      case Protocol.EVENT_READY -> {
        stream.markHealthy();
        connected = true;
        listeners.emit(l -> l.onConnectivityChanged(true, "event stream to " + servers.describe() + " is up"));
      }
      case Protocol.EVENT_GOING_AWAY -> {
        LOG.info("control plane server is going away ({}); reconnecting", event.reason());
        stream.reconnectSoon();
      }
      case Protocol.EVENT_SNAPSHOT -> {
        if (event.party() != null && event.seq() != null) {
          if (!KeyPossession.hasDistinctKeys(event.party())) {
            LOG.warn("ignoring a snapshot of party {} in which two members share a WireGuard key", event.partyId());
            return;
          }
          followed.put(event.partyId(), event.seq());
          listeners.emit(l -> l.onPartySnapshot(event.party()));
        }
      }
      default -> handlePartyEvent(event);
    }
  }

  private void handlePartyEvent(EventMessage event) {
    if (event.partyId() == null || event.seq() == null) {
      LOG.debug("ignoring event without party or sequence: {}", event.type());
      return;
    }
    String partyId = event.partyId();
    long seq = event.seq();
    boolean ending = Protocol.EVENT_PARTY_DISBANDED.equals(event.type())
        || (Protocol.EVENT_PEER_LEFT.equals(event.type()) && Objects.equals(event.peerId(), peerId));
    Long seen = followed.get(partyId);
    if (seen != null && seq <= seen) {
      return;
    }
    if (ending) {
      followed.remove(partyId);
    } else {
      followed.merge(partyId, seq, Math::max);
    }
    switch (event.type()) {
      case Protocol.EVENT_PEER_JOINED -> listeners.emit(l -> l.onPeerJoined(partyId, event.peer()));
      case Protocol.EVENT_PEER_UPDATED -> listeners.emit(l -> l.onPeerUpdated(partyId, event.peer()));
      case Protocol.EVENT_PEER_LEFT -> listeners.emit(l -> l.onPeerLeft(partyId, event.peerId(), LeaveReason.fromWire(event.reason())));
      case Protocol.EVENT_SIGNAL -> listeners.emit(l -> l.onSignal(event.signal()));
      case Protocol.EVENT_PARTY_DISBANDED -> listeners.emit(l -> l.onPartyDisbanded(partyId, DisbandReason.fromWire(event.reason())));
      default -> LOG.debug("ignoring unknown event type {}", event.type());
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

  /** {@code control.server-urls} (comma-separated) when set, otherwise {@code control.server-url}. */
  static List<URI> serversOf(PartyConfig config) {
    List<String> urls = SERVER_URLS.from(config);
    if (!urls.isEmpty()) {
      return urls.stream().map(URI::create).toList();
    }
    return config.controlServer() == null ? List.of() : List.of(config.controlServer());
  }

  private static boolean isHttpUrl(String text) {
    URI uri = URI.create(text);
    return uri.isAbsolute() && uri.getHost() != null
        && (uri.getScheme().equals("http") || uri.getScheme().equals("https"));
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

  /** Options of a {@link RemoteControlPlaneClient}; not thread-safe. */
  public static final class Builder {
    private final List<URI> servers;
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration heartbeatInterval = Duration.ofSeconds(10);
    private boolean autoHeartbeat = true;
    private Duration initialBackoff = Duration.ofMillis(200);
    private Duration maxBackoff = Duration.ofSeconds(15);
    private int maxAttempts = 4;
    private Sleeper sleeper = Sleeper.SYSTEM;
    private Random random = new Random();
    private TokenStore tokenStore = TokenStore.inMemory();
    private SSLContext sslContext;
    private X509TrustManager trustManager;
    private java.util.function.Function<Key, Key> keyring;

    private Builder(List<URI> servers) {
      this.servers = List.copyOf(servers);
      new ServerList(this.servers);
    }

    /** Bounds each HTTP attempt (connect, read, write, whole call) and the WebSocket connect. */
    public Builder requestTimeout(Duration v) { requestTimeout = positive(v, "requestTimeout"); return this; }
    /** How often the client heartbeats each party it is in. */
    public Builder heartbeatInterval(Duration v) { heartbeatInterval = positive(v, "heartbeatInterval"); return this; }
    /**
     * Whether the client heartbeats every party it is in by itself (default true). The SDK's party
     * manager heartbeats on its own schedule, so {@link #fromConfig} turns this off.
     */
    public Builder autoHeartbeat(boolean v) { autoHeartbeat = v; return this; }
    /** Backoff between retries and reconnects: from {@code initial}, doubling, capped at {@code max}, jittered. */
    public Builder backoff(Duration initial, Duration max) {
      initialBackoff = positive(initial, "initial backoff");
      maxBackoff = positive(max, "max backoff");
      return this;
    }
    /** Attempts per idempotent call (1 = no retry). */
    public Builder maxAttempts(int v) {
      if (v < 1 || v > 10) {
        throw new IllegalArgumentException("maxAttempts must be 1..10: " + v);
      }
      maxAttempts = v;
      return this;
    }
    /** How retries wait; tests pass one that does not sleep. */
    public Builder sleeper(Sleeper v) { sleeper = Objects.requireNonNull(v, "sleeper"); return this; }
    /** The jitter source; tests pass a seeded one. */
    public Builder random(Random v) { random = Objects.requireNonNull(v, "random"); return this; }
    /** Where tokens are kept; default in memory only. */
    public Builder tokenStore(TokenStore v) { tokenStore = Objects.requireNonNull(v, "tokenStore"); return this; }
    /**
     * The member's WireGuard private key, used in this process only to prove possession when
     * registering (it is never sent). {@code start} must then be given its public key.
     */
    public Builder privateKey(Key v) {
      Key privateKey = Objects.requireNonNull(v, "privateKey");
      Key publicKey = X25519.publicKey(privateKey);
      return keyring(asked -> {
        if (!asked.equals(publicKey)) {
          throw PartyException.of(Reason.INVALID_ARGUMENT, "start() was given a public key that does not belong"
              + " to the private key this client was built with");
        }
        return privateKey;
      });
    }
    /** Where registration finds the private key of the public key given to {@code start} (e.g. a key store). */
    public Builder keyring(java.util.function.Function<Key, Key> v) { keyring = Objects.requireNonNull(v, "keyring"); return this; }
    /** TLS settings for https/wss when the server's certificate is not trusted by the JVM's defaults. */
    public Builder tls(SSLContext context, X509TrustManager trust) {
      sslContext = Objects.requireNonNull(context, "context");
      trustManager = Objects.requireNonNull(trust, "trust");
      return this;
    }

    public RemoteControlPlaneClient build() {
      return new RemoteControlPlaneClient(this);
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
