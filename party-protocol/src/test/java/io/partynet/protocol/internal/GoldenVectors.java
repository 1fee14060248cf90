package io.partynet.protocol.internal;

import io.partynet.ConnectionType;
import io.partynet.Endpoint;
import io.partynet.Invite;
import io.partynet.IpPrefix;
import io.partynet.NatType;
import io.partynet.PartyException;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.spi.Signal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The messages whose exact v1 bytes are kept in {@code src/test/resources/golden/v1}: one file per
 * message, holding what a v1 peer sends (no trailing newline). A change that alters any of these
 * bytes breaks v1 peers already deployed: it belongs in a new protocol version, not here.
 */
final class GoldenVectors {
  static final String DIRECTORY = "golden/v1";

  /** One golden file, the Java type it is read as, and the value it holds. */
  record Vector(String file, Class<?> type, Object message) {
    @Override
    public String toString() {
      return file;
    }
  }

  static final String CODE = "QMQ0-BFWQ-PJB9";
  static final String NONCE = "p3oh17Si8Os9LAoeKY8G7J2IiRc6lLMmQO4olclRTVUuvlzl5udMYw";
  static final String ALICE_KEY = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
  static final String BOB_KEY = "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=";
  static final String INVITE_CODE = "7KQ2-M9XD-4RTX";
  static final Instant CREATED = Instant.parse("2026-11-24T22:52:23.123Z");
  static final Instant BOB_JOINED = Instant.parse("2026-11-24T22:53:01Z");
  static final IpPrefix SUBNET = IpPrefix.parse("10.77.0.0/16");

  /** The host as it asks to create a party: nothing assigned or measured yet. */
  static final Peer ALICE_NEW =
      new Peer("p-3f9a1c", "alice", ALICE_KEY, null, null, null, ConnectionType.NONE, NatType.FULL_CONE, CREATED);
  static final Peer ALICE = ALICE_NEW.withVirtualIp("10.77.0.1");
  /** Every optional field of a peer set, including an IPv6 endpoint. */
  static final Peer BOB = new Peer("p-77b2", "bob", BOB_KEY, "10.77.0.2", new Endpoint("2001:db8::7", 51820),
      12.5, ConnectionType.DIRECT, NatType.PORT_RESTRICTED_CONE, BOB_JOINED);
  static final PartyInfo PARTY = new PartyInfo(CODE, "Friday night", ALICE.id(), List.of(ALICE, BOB), CREATED, SUBNET);
  static final Signal PUNCH = new Signal(CODE, ALICE.id(), BOB.id(), "punch-now",
      Map.of("at", "1732488743123", "endpoint", "203.0.113.7:40112"));

  private GoldenVectors() {}

  static List<Vector> all() {
    return List.of(
        // Requests: REST bodies the client sends, and the one WebSocket message.
        // Revision 2: registration carries a proof of key possession (docs/control-plane-protocol.md).
        new Vector("register-request.json", RegisterRequest.class, new RegisterRequest(ALICE.id(), ALICE_KEY, NONCE,
            "i_wLqqhpokTtylhVr6jEPgqZ3WVfzUfdN2BB8pkDPYU")),
        new Vector("create-party-request.json", CreatePartyRequest.class, new CreatePartyRequest("Friday night", ALICE_NEW)),
        new Vector("join-request.json", Peer.class, BOB.withVirtualIp(null)),
        // Revision 3: the host issues invite codes with limits, and revokes them.
        new Vector("create-invite-request.json", CreateInviteRequest.class, new CreateInviteRequest(3600L, 5)),
        new Vector("update-request.json", Peer.class, BOB),
        new Vector("signal-request.json", Signal.class, PUNCH),
        new Vector("resume.json", ResumeMessage.class, ResumeMessage.of(Map.of(CODE, 12L, "QZK0-64SE-H6P8", 0L))),
        // Answers.
        new Vector("register-response.json", RegisterResponse.class,
            new RegisterResponse(ALICE.id(), "3q2-7wAAAAHVhZ8l2c1BNEtm4YqQWkH0Lr7QzUoX1pA")),
        new Vector("challenge-response.json", ChallengeResponse.class, new ChallengeResponse(NONCE, BOB_KEY)),
        new Vector("account.json", Account.class, new Account(ALICE.id(), ALICE_KEY, List.of(CODE))),
        // GET /v1/ice-servers. The password is base64(HMAC-SHA1("north-wind", "1796515200:p-3f9a1c")):
        // echo -n '1796515200:p-3f9a1c' | openssl dgst -sha1 -hmac north-wind -binary | base64
        new Vector("ice-servers.json", IceServersResponse.class, new IceServersResponse(
            List.of("stun.example.net:3478", "[2001:db8::3]:3478"),
            List.of(new IceServersResponse.TurnServer("turn.example.net:3478", "1796515200:p-3f9a1c",
                "0XBVWhUPw8t6w5KgOyoLO+ImOw8=")),
            Instant.ofEpochSecond(1796515200L))),
        new Vector("party-response.json", PartyResponse.class, new PartyResponse(PARTY, 2)),
        new Vector("invite.json", Invite.class, new Invite(INVITE_CODE, CODE, CREATED,
            CREATED.plusSeconds(3600), 5, 1, false)),
        new Vector("error.json", ErrorBody.class,
            ErrorBody.of(PartyException.Reason.PARTY_FULL, "the party is full: ask the host to make room")),
        // GET /v1/health: the server answers a plain map, in key order like every map.
        new Vector("health.json", Map.class,
            Map.of("status", "ok", "protocol", Protocol.VERSION, "revision", Protocol.REVISION)),
        // Events on the WebSocket.
        new Vector("event-peer-joined.json", EventMessage.class, EventMessage.peerJoined(CODE, 2, BOB)),
        new Vector("event-peer-updated.json", EventMessage.class, EventMessage.peerUpdated(CODE, 3, BOB)),
        new Vector("event-peer-left.json", EventMessage.class, EventMessage.peerLeft(CODE, 13, BOB.id(), "kicked")),
        new Vector("event-signal.json", EventMessage.class, EventMessage.signal(14, PUNCH)),
        new Vector("event-party-disbanded.json", EventMessage.class, EventMessage.partyDisbanded(CODE, 15, "host-left")),
        new Vector("event-snapshot.json", EventMessage.class, EventMessage.snapshot(16, PARTY)),
        new Vector("event-ready.json", EventMessage.class, EventMessage.ready()),
        new Vector("event-going-away.json", EventMessage.class, EventMessage.goingAway("server shutting down")));
  }
}
