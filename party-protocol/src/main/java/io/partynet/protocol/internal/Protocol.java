package io.partynet.protocol.internal;

/**
 * Constants of control-plane protocol version 1: paths, headers, limits and event types. Every
 * path is relative to the server's base URL. Stateless and thread-safe.
 */
public final class Protocol {
  public static final String VERSION = "v1";
  /**
   * The revision within v1, reported by {@code /v1/health}. 2: registration needs a proof of key
   * possession from {@link #CHALLENGE}; a public key belongs to one peer. 3: the host issues and
   * revokes invite codes ({@link #INVITES}); a join names the party id or an invite code. 4: a join
   * may carry an {@link #IDEMPOTENCY_KEY}; a late copy of a join whose membership already ended is
   * refused ({@code STALE_JOIN}).
   */
  public static final int REVISION = 4;
  /** Under a party: {@code POST /v1/parties/{party}/invites}, {@code DELETE .../invites/{code}}. */
  public static final String INVITES = "/invites";
  public static final String PEERS = "/v1/peers";
  public static final String CHALLENGE = "/v1/peers/challenge";
  public static final String ME = "/v1/peers/me";
  public static final String PARTIES = "/v1/parties";
  public static final String EVENTS = "/v1/events";
  public static final String HEALTH = "/v1/health";
  public static final String ICE_SERVERS = "/v1/ice-servers";

  public static final String AUTHORIZATION = "Authorization";
  public static final String BEARER = "Bearer ";
  public static final String RETRY_AFTER = "Retry-After";
  /**
   * Names one join call across its retries (draft-ietf-httpapi-idempotency-key-header): the value
   * is a structured-field string, see {@link IdempotencyKey}. Revision 4.
   */
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  /** The largest request body the server reads, in bytes; larger ones get 413. */
  public static final int MAX_BODY_BYTES = 16 * 1024;
  /** The largest WebSocket text frame either side accepts, in bytes. */
  public static final int MAX_FRAME_BYTES = 64 * 1024;
  /** Bearer tokens are 256 random bits, base64url without padding: 43 characters. */
  public static final int TOKEN_CHARS = 43;
  /** How many parties one registered peer may be a member of at once. */
  public static final int MAX_PARTIES_PER_PEER = 8;

  /** Event types sent by the server over the WebSocket. */
  public static final String EVENT_PEER_JOINED = "peer-joined";
  public static final String EVENT_PEER_LEFT = "peer-left";
  public static final String EVENT_PEER_UPDATED = "peer-updated";
  public static final String EVENT_SIGNAL = "signal";
  public static final String EVENT_PARTY_DISBANDED = "party-disbanded";
  public static final String EVENT_SNAPSHOT = "snapshot";
  public static final String EVENT_READY = "ready";
  public static final String EVENT_GOING_AWAY = "going-away";

  /** The one message type a client sends over the WebSocket. */
  public static final String CLIENT_RESUME = "resume";

  private Protocol() {}

  /** {@code /v1/parties/{id}}. */
  public static String party(String partyId) {
    return PARTIES + "/" + partyId;
  }

  /** {@code /v1/parties/{id}/members/{peerId}}. */
  public static String member(String partyId, String peerId) {
    return party(partyId) + "/members/" + peerId;
  }

  /** {@code /v1/parties/{id}/members}. */
  public static String members(String partyId) {
    return party(partyId) + "/members";
  }

  /** {@code /v1/parties/{id}/members/{peerId}/heartbeat}. */
  public static String heartbeat(String partyId, String peerId) {
    return member(partyId, peerId) + "/heartbeat";
  }

  /** {@code /v1/parties/{id}/members/{peerId}/kick}. */
  public static String kick(String partyId, String peerId) {
    return member(partyId, peerId) + "/kick";
  }

  /** {@code /v1/parties/{id}/signals}. */
  public static String signals(String partyId) {
    return party(partyId) + "/signals";
  }

  /** {@code POST}: the host issues an invite code (revision 3). */
  public static String invites(String partyId) {
    return party(partyId) + INVITES;
  }

  /** {@code DELETE}: the host revokes an invite code or the party id (revision 3). */
  public static String invite(String partyId, String code) {
    return invites(partyId) + "/" + code;
  }
}
