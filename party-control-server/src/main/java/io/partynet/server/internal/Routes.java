package io.partynet.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.partynet.InviteCode;
import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.core.internal.registry.PartyRegistry;
import io.partynet.protocol.internal.Account;
import io.partynet.protocol.internal.CreatePartyRequest;
import io.partynet.protocol.internal.ErrorBody;
import io.partynet.protocol.internal.ErrorCodes;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.protocol.internal.RegisterRequest;
import io.partynet.protocol.internal.RegisterResponse;
import io.partynet.protocol.internal.ResumeMessage;
import io.partynet.protocol.internal.Validation;
import io.partynet.spi.Signal;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP and WebSocket endpoints of protocol v1 (see docs/control-plane-protocol.md): parsing and
 * validating requests, authentication, authorisation ("a peer changes only itself, only the host
 * kicks or disbands, a token gets nothing in parties its peer is not in"), rate limits, and error
 * answers as JSON {@code {code, message}}. Thread-safe: it holds no request state.
 */
public final class Routes {
  private static final Logger LOG = LoggerFactory.getLogger(Routes.class);
  private static final String ACCOUNT = "partynet.account";
  private static final String JSON = "application/json";
  private static final int MAX_MESSAGE = 300;

  /** The limits the routes enforce. */
  public record Limits(RateLimiter perAddress, RateLimiter perPeer, RateLimiter registrations, boolean trustProxy) {}

  private final PartyRegistry registry;
  private final EventHub hub;
  private final RegistryPersistence persistence;
  private final Accounts accounts;
  private final Limits limits;

  public Routes(PartyRegistry registry, EventHub hub, RegistryPersistence persistence, Accounts accounts,
      Limits limits) {
    this.registry = registry;
    this.hub = hub;
    this.persistence = persistence;
    this.accounts = accounts;
    this.limits = limits;
  }

  public void install(Javalin app) {
    app.before(this::admit);
    app.get(Protocol.HEALTH, ctx -> json(ctx, 200, Map.of("status", "ok", "protocol", Protocol.VERSION)));
    app.post(Protocol.PEERS, this::register);
    app.get(Protocol.ME, this::me);
    app.post(Protocol.PARTIES, this::createParty);
    app.get(Protocol.PARTIES + "/{party}", this::getParty);
    app.delete(Protocol.PARTIES + "/{party}", this::disband);
    app.post(Protocol.PARTIES + "/{party}/members", this::join);
    app.put(Protocol.PARTIES + "/{party}/members/{peer}", this::update);
    app.delete(Protocol.PARTIES + "/{party}/members/{peer}", this::leave);
    app.post(Protocol.PARTIES + "/{party}/members/{peer}/heartbeat", this::heartbeat);
    app.post(Protocol.PARTIES + "/{party}/members/{peer}/kick", this::kick);
    app.post(Protocol.PARTIES + "/{party}/signals", this::signal);
    app.wsBeforeUpgrade(Protocol.EVENTS, ctx -> authenticate(ctx));
    app.ws(Protocol.EVENTS, this::events);

    app.exception(PartyException.class, (e, ctx) -> error(ctx, e.reason(), e.getMessage()));
    app.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getMessage()));
    app.exception(Exception.class, (e, ctx) -> {
      LOG.atError().setMessage("request failed unexpectedly").addKeyValue("path", ctx.path())
          .setCause(e).log();
      error(ctx, Reason.INTERNAL, "internal error; the server log has details");
    });
    app.error(404, ctx -> fillIfEmpty(ctx, Reason.INVALID_ARGUMENT, "no such endpoint: " + ctx.method() + " " + ctx.path()));
    app.error(405, ctx -> fillIfEmpty(ctx, Reason.INVALID_ARGUMENT, "method not allowed on " + ctx.path()));
  }

  // ---- filters ----

  private void admit(Context ctx) {
    if (!limits.perAddress().tryAcquire(clientAddress(ctx))) {
      ctx.header(Protocol.RETRY_AFTER, "1");
      throw PartyException.of(Reason.RATE_LIMITED, "too many requests from your address; slow down");
    }
    String path = ctx.path();
    boolean open = path.equals(Protocol.HEALTH) || path.equals(Protocol.EVENTS)
        || (path.equals(Protocol.PEERS) && ctx.method().name().equals("POST"));
    if (!open) {
      authenticate(ctx);
    }
  }

  private Accounts.Account authenticate(Context ctx) {
    Accounts.Account account = accountFromHeader(ctx.header(Protocol.AUTHORIZATION));
    if (!limits.perPeer().tryAcquire(account.peerId())) {
      ctx.header(Protocol.RETRY_AFTER, "1");
      throw PartyException.of(Reason.RATE_LIMITED, "too many requests for this peer; slow down");
    }
    ctx.attribute(ACCOUNT, account);
    return account;
  }

  private Accounts.Account accountFromHeader(String header) {
    if (header == null || !header.startsWith(Protocol.BEARER)) {
      throw PartyException.of(Reason.UNAUTHORIZED,
          "missing bearer token: register with POST " + Protocol.PEERS + " and send Authorization: Bearer <token>");
    }
    return accounts.authenticate(header.substring(Protocol.BEARER.length()).trim())
        .orElseThrow(() -> PartyException.of(Reason.UNAUTHORIZED,
            "unknown or malformed token: register again with POST " + Protocol.PEERS));
  }

  private String clientAddress(Context ctx) {
    if (limits.trustProxy()) {
      String forwarded = ctx.header("X-Forwarded-For");
      if (forwarded != null && !forwarded.isBlank()) {
        String[] hops = forwarded.split(",");
        String last = hops[hops.length - 1].trim();
        if (!last.isEmpty() && last.length() <= 64) {
          return last;
        }
      }
    }
    return ctx.req().getRemoteAddr();
  }

  // ---- handlers ----

  private void register(Context ctx) {
    if (!limits.registrations().tryAcquire(clientAddress(ctx))) {
      ctx.header(Protocol.RETRY_AFTER, "5");
      throw PartyException.of(Reason.RATE_LIMITED, "too many registrations from your address; try again later");
    }
    RegisterRequest request = body(ctx, RegisterRequest.class);
    String token = accounts.register(request.peerId(), request.publicKey());
    LOG.atInfo().setMessage("peer registered").addKeyValue("peer", request.peerId()).log();
    json(ctx, 201, new RegisterResponse(request.peerId(), token));
  }

  private void me(Context ctx) {
    Accounts.Account a = account(ctx);
    json(ctx, 200, new Account(a.peerId(), a.publicKey(), hub.partiesOf(a.peerId())));
  }

  private void createParty(Context ctx) {
    Accounts.Account a = account(ctx);
    CreatePartyRequest request = body(ctx, CreatePartyRequest.class);
    requireSelf(a, request.host());
    requireRoomForAnotherParty(a);
    PartyInfo info = registry.createParty(request.name(), request.host());
    persistence.flush();
    LOG.atInfo().setMessage("party created").addKeyValue("party", info.partyId()).addKeyValue("host", a.peerId()).log();
    json(ctx, 201, hub.view(info.partyId(), a.peerId()));
  }

  private void getParty(Context ctx) {
    Accounts.Account a = account(ctx);
    json(ctx, 200, hub.view(partyId(ctx), a.peerId()));
  }

  private void join(Context ctx) {
    Accounts.Account a = account(ctx);
    String partyId = partyId(ctx);
    Peer peer = body(ctx, Peer.class);
    requireSelf(a, peer);
    if (!hub.isMember(partyId, a.peerId())) {
      requireRoomForAnotherParty(a);
    }
    registry.joinParty(partyId, peer);
    persistence.flush();
    LOG.atInfo().setMessage("peer joined").addKeyValue("party", partyId).addKeyValue("peer", a.peerId()).log();
    json(ctx, 200, hub.view(partyId, a.peerId()));
  }

  private void leave(Context ctx) {
    Accounts.Account a = account(ctx);
    String partyId = partyId(ctx);
    requireCallerIs(a, peerId(ctx), "leave");
    hub.requireMembership(partyId, a.peerId());
    boolean disbanded = registry.leaveParty(partyId, a.peerId());
    persistence.flush();
    LOG.atInfo().setMessage("peer left").addKeyValue("party", partyId).addKeyValue("peer", a.peerId())
        .addKeyValue("disbanded", disbanded).log();
    ctx.status(204);
  }

  private void kick(Context ctx) {
    Accounts.Account a = account(ctx);
    String partyId = partyId(ctx);
    String target = peerId(ctx);
    hub.requireMembership(partyId, a.peerId());
    registry.kick(partyId, a.peerId(), target);
    persistence.flush();
    LOG.atInfo().setMessage("peer kicked").addKeyValue("party", partyId).addKeyValue("peer", target).log();
    ctx.status(204);
  }

  private void disband(Context ctx) {
    Accounts.Account a = account(ctx);
    String partyId = partyId(ctx);
    hub.requireMembership(partyId, a.peerId());
    registry.disband(partyId, a.peerId());
    persistence.flush();
    LOG.atInfo().setMessage("party disbanded").addKeyValue("party", partyId).log();
    ctx.status(204);
  }

  private void heartbeat(Context ctx) {
    Accounts.Account a = account(ctx);
    String partyId = partyId(ctx);
    requireCallerIs(a, peerId(ctx), "heartbeat");
    hub.requireMembership(partyId, a.peerId());
    registry.heartbeat(partyId, a.peerId());
    ctx.status(204);
  }

  private void update(Context ctx) {
    Accounts.Account a = account(ctx);
    String partyId = partyId(ctx);
    requireCallerIs(a, peerId(ctx), "update");
    Peer peer = body(ctx, Peer.class);
    requireCallerIs(a, peer.id(), "update");
    hub.requireMembership(partyId, a.peerId());
    Peer updated = registry.updatePeer(partyId, peer);
    persistence.flush();
    json(ctx, 200, updated);
  }

  private void signal(Context ctx) {
    Accounts.Account a = account(ctx);
    String partyId = partyId(ctx);
    Signal signal = body(ctx, Signal.class);
    if (!partyId.equals(normalize(signal.partyId()))) {
      throw PartyException.of(Reason.INVALID_ARGUMENT, "signal.partyId must match the party in the path");
    }
    requireCallerIs(a, signal.fromPeerId(), "send signals as");
    Signal normalized = new Signal(partyId, signal.fromPeerId(), signal.toPeerId(), signal.type(), signal.data());
    hub.signal(normalized);
    persistence.mark(partyId);
    ctx.status(202);
  }

  // ---- WebSocket ----

  private void events(WsConfig ws) {
    ws.onConnect(ctx -> {
      Accounts.Account account = accountFromHeader(ctx.header(Protocol.AUTHORIZATION));
      JettySink sink = new JettySink(ctx);
      ctx.attribute(ACCOUNT, account);
      ctx.attribute(JettySink.class.getName(), sink);
      hub.connected(account.peerId(), sink);
      LOG.atDebug().setMessage("event stream opened").addKeyValue("peer", account.peerId()).log();
    });
    ws.onMessage(ctx -> {
      Accounts.Account account = ctx.attribute(ACCOUNT);
      JettySink sink = ctx.attribute(JettySink.class.getName());
      if (account == null || sink == null) {
        ctx.closeSession(1008, "not authenticated");
        return;
      }
      if (!sink.markResumed()) {
        ctx.closeSession(1008, "only one resume message is allowed per connection");
        return;
      }
      ResumeMessage resume;
      try {
        resume = normalizeResume(ProtocolJson.strict().readValue(ctx.message(), ResumeMessage.class));
      } catch (JsonProcessingException | RuntimeException e) {
        ctx.closeSession(1008, "malformed resume message");
        return;
      }
      hub.resume(account.peerId(), sink, resume);
    });
    ws.onBinaryMessage(ctx -> ctx.closeSession(1003, "binary frames are not part of the protocol"));
    ws.onClose(ctx -> {
      Accounts.Account account = ctx.attribute(ACCOUNT);
      JettySink sink = ctx.attribute(JettySink.class.getName());
      if (account != null && sink != null) {
        hub.disconnected(account.peerId(), sink);
      }
    });
    ws.onError(ctx -> LOG.atDebug().setMessage("event stream error")
        .addKeyValue("error", String.valueOf(ctx.error())).log());
  }

  private static ResumeMessage normalizeResume(ResumeMessage resume) {
    Map<String, Long> parties = new HashMap<>();
    resume.parties().forEach((id, seq) -> parties.put(InviteCode.normalize(id), seq));
    return ResumeMessage.of(parties);
  }

  // ---- helpers ----

  private static Accounts.Account account(Context ctx) {
    return Objects.requireNonNull(ctx.attribute(ACCOUNT), "authenticated by the before-filter");
  }

  private void requireSelf(Accounts.Account a, Peer peer) {
    requireCallerIs(a, peer.id(), "act as");
    if (!a.publicKey().equals(peer.publicKey())) {
      throw PartyException.of(Reason.FORBIDDEN,
          "the public key differs from the one registered for peer " + a.peerId());
    }
  }

  private static void requireCallerIs(Accounts.Account a, String peerId, String action) {
    if (!a.peerId().equals(peerId)) {
      throw PartyException.of(Reason.FORBIDDEN, "a peer may only " + action + " itself; your token is for "
          + a.peerId());
    }
  }

  private void requireRoomForAnotherParty(Accounts.Account a) {
    if (hub.partiesOf(a.peerId()).size() >= Protocol.MAX_PARTIES_PER_PEER) {
      throw PartyException.of(Reason.ALREADY_IN_PARTY, "a peer may be in at most "
          + Protocol.MAX_PARTIES_PER_PEER + " parties; leave one first");
    }
  }

  private static String partyId(Context ctx) {
    return normalize(ctx.pathParam("party"));
  }

  private static String normalize(String partyId) {
    return InviteCode.normalize(partyId);
  }

  private static String peerId(Context ctx) {
    try {
      return Validation.requirePeerId(ctx.pathParam("peer"));
    } catch (IllegalArgumentException e) {
      throw PartyException.of(Reason.INVALID_ARGUMENT, e.getMessage());
    }
  }

  /** Reads at most {@link Protocol#MAX_BODY_BYTES} and parses them strictly as {@code type}. */
  private static <T> T body(Context ctx, Class<T> type) {
    byte[] bytes;
    try (InputStream in = ctx.req().getInputStream()) {
      bytes = in.readNBytes(Protocol.MAX_BODY_BYTES + 1);
    } catch (IOException e) {
      throw PartyException.of(Reason.INVALID_ARGUMENT, "could not read the request body: " + e.getMessage());
    }
    if (bytes.length > Protocol.MAX_BODY_BYTES) {
      throw new HttpResponseException(413, "request body larger than " + Protocol.MAX_BODY_BYTES + " bytes",
          Map.of());
    }
    if (bytes.length == 0) {
      throw PartyException.of(Reason.INVALID_ARGUMENT, "a JSON body is required");
    }
    try {
      T value = ProtocolJson.strict().readValue(bytes, type);
      if (value == null) {
        throw PartyException.of(Reason.INVALID_ARGUMENT, "a JSON object is required");
      }
      return value;
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof PartyException pe) {
        throw PartyException.of(pe.reason(), pe.getMessage());
      }
      throw PartyException.of(Reason.INVALID_ARGUMENT, "invalid " + type.getSimpleName() + ": "
          + clip(cause.getMessage()));
    } catch (IOException | RuntimeException e) {
      if (e instanceof PartyException pe) {
        throw pe;
      }
      throw PartyException.of(Reason.INVALID_ARGUMENT, "malformed " + type.getSimpleName() + " JSON: "
          + clip(e.getMessage()));
    }
  }

  private static void json(Context ctx, int status, Object value) {
    ctx.status(status).contentType(JSON).result(ProtocolJson.write(value));
  }

  private static void error(Context ctx, Reason reason, String message) {
    json(ctx, ErrorCodes.httpStatus(reason), ErrorBody.of(reason, clip(message)));
  }

  private static void error(Context ctx, int status, String message) {
    Reason reason = switch (status) {
      case 401 -> Reason.UNAUTHORIZED;
      case 403 -> Reason.FORBIDDEN;
      case 429 -> Reason.RATE_LIMITED;
      default -> status >= 500 ? Reason.INTERNAL : Reason.INVALID_ARGUMENT;
    };
    json(ctx, status, ErrorBody.of(reason, clip(message)));
  }

  private static void fillIfEmpty(Context ctx, Reason reason, String message) {
    if (ctx.result() == null || ctx.result().isEmpty()) {
      ctx.contentType(JSON).result(ProtocolJson.write(ErrorBody.of(reason, message)));
    }
  }

  private static String clip(String message) {
    if (message == null) {
      return "";
    }
    String oneLine = message.replaceAll("\\s+", " ");
    return oneLine.length() <= MAX_MESSAGE ? oneLine : oneLine.substring(0, MAX_MESSAGE) + "...";
  }

  /** Adapts a Javalin WebSocket to {@link EventSink}, closing it when the client reads too slowly. */
  private static final class JettySink implements EventSink {
    private static final long MAX_PENDING_BYTES = 1 << 20;
    private final WsContext ctx;
    private final java.util.concurrent.atomic.AtomicLong pending = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean resumed = new java.util.concurrent.atomic.AtomicBoolean();

    JettySink(WsContext ctx) {
      this.ctx = ctx;
    }

    boolean markResumed() {
      return resumed.compareAndSet(false, true);
    }

    @Override
    public void send(String frame) {
      if (!ctx.session.isOpen()) {
        return;
      }
      long size = frame.length();
      if (pending.addAndGet(size) > MAX_PENDING_BYTES) {
        close(1008, "client reads events too slowly; reconnect and resume");
        return;
      }
      ctx.session.getRemote().sendString(frame, new org.eclipse.jetty.websocket.api.WriteCallback() {
        @Override
        public void writeFailed(Throwable x) {
          pending.addAndGet(-size);
        }

        @Override
        public void writeSuccess() {
          pending.addAndGet(-size);
        }
      });
    }

    @Override
    public void close(int code, String reason) {
      try {
        ctx.closeSession(code, reason);
      } catch (RuntimeException e) {
        LOG.debug("closing an event stream failed: {}", e.toString());
      }
    }
  }
}
