package io.partynet.server.internal.http;

import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.partynet.Invite;
import io.partynet.InviteCode;
import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import io.partynet.Peer;
import io.partynet.protocol.internal.Account;
import io.partynet.protocol.internal.CreateInviteRequest;
import io.partynet.protocol.internal.CreatePartyRequest;
import io.partynet.protocol.internal.ErrorBody;
import io.partynet.protocol.internal.ErrorCodes;
import io.partynet.protocol.internal.IdempotencyKey;
import io.partynet.protocol.internal.PartyResponse;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.protocol.internal.RegisterRequest;
import io.partynet.protocol.internal.RegisterResponse;
import io.partynet.protocol.internal.Validation;
import io.partynet.server.internal.accounts.Accounts;
import io.partynet.server.internal.accounts.PeerAccounts;
import io.partynet.server.internal.accounts.RegistrationChallenges;
import io.partynet.server.internal.events.EventHub;
import io.partynet.server.internal.events.EventSocket;
import io.partynet.server.internal.parties.JoinKeys;
import io.partynet.server.internal.parties.PartyOperations;
import io.partynet.server.internal.store.ServerStore;
import io.partynet.spi.Signal;
import java.io.IOException;
import java.time.Clock;
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
  public record Limits(RateLimiter perAddress, RateLimiter perPeer, RateLimiter registrations, boolean trustProxy,
      BodyReader bodies) {}

  /**
   * What the routes work on: the party operations, the hub that holds this instance's event
   * streams (with what to do before a stream's resume is answered), and registrations.
   */
  public record Services(PartyOperations parties, EventHub hub, EventSocket.BeforeResume beforeResume,
      PeerAccounts accounts, RegistrationChallenges challenges, IceServers iceServers, Clock clock, ServerStore store) {}

  private final PartyOperations parties;
  private final EventHub hub;
  private final EventSocket.BeforeResume beforeResume;
  private final PeerAccounts accounts;
  private final RegistrationChallenges challenges;
  private final IceServers iceServers;
  private final Clock clock;
  private final ServerStore store;
  private final Limits limits;

  public Routes(Services services, Limits limits) {
    this.parties = services.parties();
    this.hub = services.hub();
    this.beforeResume = services.beforeResume();
    this.accounts = services.accounts();
    this.challenges = services.challenges();
    this.iceServers = services.iceServers();
    this.clock = services.clock();
    this.store = services.store();
    this.limits = limits;
  }

  public void install(Javalin app) {
    app.before(this::admit);
    app.get(Protocol.HEALTH, this::health);
    app.post(Protocol.PEERS, this::register);
    app.post(Protocol.CHALLENGE, ctx -> json(ctx, 200, challenges.issue()));
    app.get(Protocol.ME, this::me);
    app.get(Protocol.ICE_SERVERS, ctx -> json(ctx, 200, iceServers.issue(account(ctx).peerId(), clock)));
    app.post(Protocol.PARTIES, this::createParty);
    app.get(Protocol.PARTIES + "/{party}", this::getParty);
    app.delete(Protocol.PARTIES + "/{party}", this::disband);
    app.post(Protocol.PARTIES + "/{party}/members", this::join);
    app.put(Protocol.PARTIES + "/{party}/members/{peer}", this::update);
    app.delete(Protocol.PARTIES + "/{party}/members/{peer}", this::leave);
    app.post(Protocol.PARTIES + "/{party}/members/{peer}/heartbeat", this::heartbeat);
    app.post(Protocol.PARTIES + "/{party}/members/{peer}/kick", this::kick);
    app.post(Protocol.PARTIES + "/{party}/signals", this::signal);
    app.post(Protocol.PARTIES + "/{party}" + Protocol.INVITES, this::createInvite);
    app.delete(Protocol.PARTIES + "/{party}" + Protocol.INVITES + "/{code}", this::revokeInvite);
    app.wsBeforeUpgrade(Protocol.EVENTS, ctx -> {
      admitByAddress(ctx);
      authenticate(ctx);
    });
    app.ws(Protocol.EVENTS, new EventSocket(hub, beforeResume, header -> accountFromHeader(header).peerId())::configure);

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
    admitByAddress(ctx);
    String path = ctx.path();
    boolean open = path.equals(Protocol.HEALTH) || path.equals(Protocol.EVENTS) || path.equals(ServerMetrics.PATH)
        || ((path.equals(Protocol.PEERS) || path.equals(Protocol.CHALLENGE)) && ctx.method().name().equals("POST"));
    if (!open) {
      authenticate(ctx);
    }
  }

  /** The per-address rate limit, for REST requests and WebSocket upgrades alike. */
  private void admitByAddress(Context ctx) {
    if (!limits.perAddress().tryAcquire(clientAddress(ctx))) {
      ctx.header(Protocol.RETRY_AFTER, "1");
      throw PartyException.of(Reason.RATE_LIMITED, "too many requests from your address; slow down");
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
    return ClientAddress.of(ctx.req(), limits.trustProxy());
  }

  // ---- handlers ----

  /** 200 when the database answers within 2 s, 503 otherwise (a load balancer then sends players elsewhere). */
  private void health(Context ctx) {
    boolean database = store.reachable(2);
    json(ctx, database ? 200 : 503, Map.of("status", database ? "ok" : "degraded", "database",
        database ? "ok" : "unreachable", "protocol", Protocol.VERSION, "revision", Protocol.REVISION));
  }

  private void register(Context ctx) {
    if (!limits.registrations().tryAcquire(clientAddress(ctx))) {
      ctx.header(Protocol.RETRY_AFTER, "5");
      throw PartyException.of(Reason.RATE_LIMITED, "too many registrations from your address; try again later");
    }
    RegisterRequest request = body(ctx, RegisterRequest.class);
    challenges.verify(request);
    String token = accounts.register(request.peerId(), request.publicKey());
    LOG.atInfo().setMessage("peer registered").addKeyValue("peer", request.peerId()).log();
    json(ctx, 201, new RegisterResponse(request.peerId(), token));
  }

  private void me(Context ctx) {
    Accounts.Account a = account(ctx);
    json(ctx, 200, new Account(a.peerId(), a.publicKey(), parties.partiesOf(a.peerId())));
  }

  private void createParty(Context ctx) {
    Accounts.Account a = account(ctx);
    CreatePartyRequest request = body(ctx, CreatePartyRequest.class);
    requireSelf(a, request.host());
    PartyResponse created = parties.create(request.name(), request.host());
    LOG.atInfo().setMessage("party created").addKeyValue("party", created.party().partyId())
        .addKeyValue("host", a.peerId()).log();
    json(ctx, 201, created);
  }

  private void getParty(Context ctx) {
    Accounts.Account a = account(ctx);
    json(ctx, 200, parties.view(partyId(ctx), a.peerId()));
  }

  /** The path names the party id or one of its invite codes. */
  private void join(Context ctx) {
    Accounts.Account a = account(ctx);
    String code = partyId(ctx);
    String partyId = parties.resolve(code);
    IdempotencyKey key = JoinKeys.keyOf(ctx.req().getHeaders(Protocol.IDEMPOTENCY_KEY));
    Peer peer = body(ctx, Peer.class);
    requireSelf(a, peer);
    PartyResponse joined = parties.join(partyId, code, peer, key);
    LOG.atInfo().setMessage("peer joined").addKeyValue("party", partyId).addKeyValue("peer", a.peerId()).log();
    json(ctx, 200, joined);
  }

  private void leave(Context ctx) {
    Accounts.Account a = account(ctx);
    String partyId = partyId(ctx);
    requireCallerIs(a, peerId(ctx), "leave");
    boolean disbanded = parties.leave(partyId, a.peerId());
    LOG.atInfo().setMessage("peer left").addKeyValue("party", partyId).addKeyValue("peer", a.peerId())
        .addKeyValue("disbanded", disbanded).log();
    ctx.status(204);
  }

  private void kick(Context ctx) {
    Accounts.Account a = account(ctx);
    String partyId = partyId(ctx);
    String target = peerId(ctx);
    parties.kick(partyId, a.peerId(), target);
    LOG.atInfo().setMessage("peer kicked").addKeyValue("party", partyId).addKeyValue("peer", target).log();
    ctx.status(204);
  }

  private void disband(Context ctx) {
    Accounts.Account a = account(ctx);
    String partyId = partyId(ctx);
    parties.disband(partyId, a.peerId());
    LOG.atInfo().setMessage("party disbanded").addKeyValue("party", partyId).log();
    ctx.status(204);
  }

  private void createInvite(Context ctx) {
    Accounts.Account a = account(ctx);
    String partyId = partyId(ctx);
    parties.requireMembership(partyId, a.peerId());
    CreateInviteRequest request = body(ctx, CreateInviteRequest.class);
    Invite invite = parties.createInvite(partyId, a.peerId(), request.toOptions());
    LOG.atInfo().setMessage("invite issued").addKeyValue("party", partyId).log();
    json(ctx, 201, invite);
  }

  private void revokeInvite(Context ctx) {
    Accounts.Account a = account(ctx);
    String partyId = partyId(ctx);
    parties.revokeInvite(partyId, a.peerId(), ctx.pathParam("code"));
    LOG.atInfo().setMessage("invite revoked").addKeyValue("party", partyId).log();
    ctx.status(204);
  }

  private void heartbeat(Context ctx) {
    Accounts.Account a = account(ctx);
    String partyId = partyId(ctx);
    requireCallerIs(a, peerId(ctx), "heartbeat");
    parties.heartbeat(partyId, a.peerId());
    ctx.status(204);
  }

  private void update(Context ctx) {
    Accounts.Account a = account(ctx);
    String partyId = partyId(ctx);
    requireCallerIs(a, peerId(ctx), "update");
    Peer peer = body(ctx, Peer.class);
    requireCallerIs(a, peer.id(), "update");
    json(ctx, 200, parties.update(partyId, peer));
  }

  private void signal(Context ctx) {
    Accounts.Account a = account(ctx);
    String partyId = partyId(ctx);
    Signal signal = body(ctx, Signal.class);
    if (!partyId.equals(normalize(signal.partyId()))) {
      throw PartyException.of(Reason.INVALID_ARGUMENT, "signal.partyId must match the party in the path");
    }
    requireCallerIs(a, signal.fromPeerId(), "send signals as");
    parties.signal(new Signal(partyId, signal.fromPeerId(), signal.toPeerId(), signal.type(), signal.data()));
    ctx.status(202);
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
  private <T> T body(Context ctx, Class<T> type) {
    byte[] bytes = limits.bodies().read(ctx.req());
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
    json(ctx, status, ErrorBody.of(JsonErrors.reasonFor(status), clip(message)));
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
}
