package io.partynet.server.internal;

import static io.partynet.server.internal.ServerFixture.peer;
import static io.partynet.server.internal.ServerFixture.randomKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Key;
import io.partynet.Peer;
import io.partynet.protocol.internal.IdempotencyKey;
import io.partynet.protocol.internal.PartyResponse;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.server.internal.parties.JoinKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A join's Idempotency-Key (revision 4): retries of a join admit the member once, and a late copy
 * of a join whose membership has ended (left, kicked, removed as stale) is refused with
 * {@code 409 STALE_JOIN} instead of bringing the member back as a ghost. Real server over loopback,
 * manual clock.
 */
class JoinIdempotencyTest {
  @TempDir Path dir;
  ServerFixture fx;
  RawApi api;
  Key hostKey;
  String host;
  Key guestKey;
  String guest;
  String party;

  @BeforeEach
  void setUp() {
    fx = new ServerFixture(dir);
    api = new RawApi(fx.port);
    hostKey = randomKey();
    host = api.register("host", hostKey);
    guestKey = randomKey();
    guest = api.register("guest", guestKey);
    party = api.createParty(host, "keys", "host", hostKey);
  }

  @AfterEach
  void tearDown() {
    api.close();
    fx.close();
  }

  @Test
  void aLateCopyOfAJoinAfterTheLeaveIsRefusedAndANewJoinIsAdmitted() {
    IdempotencyKey first = IdempotencyKey.random();
    assertEquals(200, join(first).status());
    assertEquals(204, api.send("DELETE", Protocol.member(party, "guest"), guest, null).status());

    RawApi.Answer late = join(first);
    assertEquals(409, late.status(), late.body());
    assertEquals("STALE_JOIN", late.code());
    assertTrue(late.body().contains("send a new join"), late.body());
    assertEquals(List.of("host"), members(), "the late copy must not bring the guest back");

    assertEquals(200, join(IdempotencyKey.random()).status(), "a new join (new key) is admitted");
    assertEquals(Set.of("host", "guest"), Set.copyOf(members()));
  }

  @Test
  void retriesOfOneJoinWhileAMemberAdmitItOnce() {
    IdempotencyKey key = IdempotencyKey.random();
    assertEquals(200, join(key).status());
    RawApi.Answer retry = join(key);
    assertEquals(200, retry.status(), retry.body());
    assertEquals(Set.of("host", "guest"), Set.copyOf(retry.as(PartyResponse.class).party().peers().stream().map(Peer::id).toList()));
    assertEquals(2, retry.as(PartyResponse.class).party().peers().size(), "the guest once");
    assertEquals(Set.of("host", "guest"), Set.copyOf(members()));

    assertEquals(204, api.send("DELETE", Protocol.member(party, "guest"), guest, null).status());
    assertEquals(409, join(key).status(), "once the membership ended its key is withdrawn");
  }

  @Test
  void aMembershipRemovedAsStaleWithdrawsItsKey() {
    IdempotencyKey key = IdempotencyKey.random();
    assertEquals(200, join(key).status());
    fx.clock.advance(Duration.ofSeconds(91));
    assertEquals(204, api.send("POST", Protocol.heartbeat(party, "host"), host, null).status());
    assertEquals(1, fx.server.cleanupNow().removedPeers().size(), "the guest went stale");

    assertEquals("STALE_JOIN", join(key).code());
    assertEquals(List.of("host"), members());
  }

  @Test
  void aKeyIsWithdrawnForTenMinutesOnly() {
    IdempotencyKey key = IdempotencyKey.random();
    assertEquals(200, join(key).status());
    assertEquals(204, api.send("DELETE", Protocol.member(party, "guest"), guest, null).status());
    fx.clock.advance(JoinKeys.DEFAULT_WITHDRAWN_FOR.minusSeconds(1));
    assertEquals(409, join(key).status());
    fx.clock.advance(Duration.ofSeconds(2));
    assertEquals(204, api.send("POST", Protocol.heartbeat(party, "host"), host, null).status());
    assertEquals(200, join(key).status(), "forgotten after its time, so the server's memory stays bounded");
  }

  @Test
  void joinsWithoutAKeyBehaveAsBeforeRevisionFour() {
    String body = ProtocolJson.write(peer("guest", guestKey));
    assertEquals(200, api.send("POST", Protocol.members(party), guest, body).status());
    assertEquals(204, api.send("DELETE", Protocol.member(party, "guest"), guest, null).status());
    assertEquals(200, api.send("POST", Protocol.members(party), guest, body).status());
  }

  @Test
  void aMalformedOrRepeatedKeyIsRefused() {
    for (List<String> headers : List.of(List.of("not-quoted"), List.of("\"\""), List.of("\"a\"", "\"b\""))) {
      Request.Builder b = joinRequest();
      headers.forEach(h -> b.addHeader(Protocol.IDEMPOTENCY_KEY, h));
      RawApi.Answer answer = api.send(b, "POST", ProtocolJson.write(peer("guest", guestKey)));
      assertEquals(400, answer.status(), headers + ": " + answer.body());
      assertEquals("INVALID_ARGUMENT", answer.code());
    }
    assertEquals(List.of("host"), members());
  }

  @Test
  void anotherPeersKeyIsNotWithdrawnByThisPeersLeave() {
    IdempotencyKey shared = IdempotencyKey.random();
    assertEquals(200, join(shared).status());
    assertEquals(204, api.send("DELETE", Protocol.member(party, "guest"), guest, null).status());
    Key otherKey = randomKey();
    String other = api.register("other", otherKey);
    Request.Builder b = new Request.Builder().url("http://127.0.0.1:" + fx.port + Protocol.members(party))
        .header(Protocol.AUTHORIZATION, Protocol.BEARER + other).header(Protocol.IDEMPOTENCY_KEY, shared.headerValue());
    assertEquals(200, api.send(b, "POST", ProtocolJson.write(peer("other", otherKey))).status(),
        "keys are scoped to the peer that sent them");
  }

  private RawApi.Answer join(IdempotencyKey key) {
    return api.send(joinRequest().header(Protocol.IDEMPOTENCY_KEY, key.headerValue()), "POST",
        ProtocolJson.write(peer("guest", guestKey)));
  }

  private Request.Builder joinRequest() {
    return new Request.Builder().url("http://127.0.0.1:" + fx.port + Protocol.members(party))
        .header(Protocol.AUTHORIZATION, Protocol.BEARER + guest);
  }

  private List<String> members() {
    return api.send("GET", Protocol.party(party), host, null).as(PartyResponse.class).party().peers().stream()
        .map(Peer::id).toList();
  }
}
