package io.partynet.server.internal;

import static io.partynet.server.internal.ServerFixture.peer;
import static io.partynet.server.internal.ServerFixture.randomKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Invite;
import io.partynet.InviteOptions;
import io.partynet.InviteUsedUpException;
import io.partynet.Key;
import io.partynet.NotHostException;
import io.partynet.PartyInfo;
import io.partynet.protocol.internal.CreateInviteRequest;
import io.partynet.protocol.internal.PartyResponse;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.remote.internal.RemoteControlPlaneClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invite codes on the real server over loopback (protocol revision 3): the host alone issues and
 * revokes them; a code admits into the same party until it expires, is used up or is revoked, and
 * then the join is refused with 410 and the reason; codes, uses and revocations survive a restart;
 * a kicked member stays out whatever code it brings.
 */
class InvitesTest {
  @TempDir Path dir;
  ServerFixture fx;
  RawApi api;
  Key hostKey;
  String host;
  String party;

  @BeforeEach
  void setUp() {
    fx = new ServerFixture(dir);
    api = new RawApi(fx.port);
    hostKey = randomKey();
    host = api.register("host", hostKey);
    party = api.createParty(host, "lan", "host", hostKey);
  }

  @AfterEach
  void tearDown() {
    api.close();
    fx.close();
  }

  private Invite issue(Long ttlSeconds, Integer maxUses) {
    RawApi.Answer a = api.send("POST", Protocol.invites(party), host,
        ProtocolJson.write(new CreateInviteRequest(ttlSeconds, maxUses)));
    assertEquals(201, a.status(), a.body());
    return a.as(Invite.class);
  }

  /** A new player registers and joins with {@code code}; the answer. */
  private RawApi.Answer joinAs(String peerId, String code) {
    Key key = randomKey();
    String token = api.register(peerId, key);
    return api.join(token, code, peerId, key);
  }

  private static void assertRefused(RawApi.Answer answer, String code) {
    assertEquals(410, answer.status(), answer.body());
    assertEquals(code, answer.code());
  }

  @Test
  void aCodeAdmitsIntoTheSamePartyUntilItsUsesRunOut() {
    Invite invite = issue(3600L, 2);
    assertNotEquals(party, invite.code());
    assertEquals(fx.clock.instant().plusSeconds(3600), invite.expiresAt());
    RawApi.Answer first = joinAs("a", invite.code());
    assertEquals(200, first.status(), first.body());
    assertEquals(party, first.as(PartyResponse.class).party().partyId(), "the party keeps its id");
    assertEquals(200, joinAs("b", invite.code()).status());
    RawApi.Answer third = joinAs("c", invite.code());
    assertRefused(third, "INVITE_USED_UP");
    assertTrue(third.body().contains("used up"), third.body());
  }

  @Test
  void anExpiredCodeIsRefusedAsExpired() {
    Invite invite = issue(60L, null);
    fx.clock.advance(Duration.ofSeconds(60));
    RawApi.Answer late = joinAs("late", invite.code());
    assertRefused(late, "INVITE_EXPIRED");
    assertTrue(late.body().contains("expired"), late.body());
  }

  @Test
  void revokedCodesAndARevokedPartyIdAreRefusedWhileMembersMayResume() {
    Key memberKey = randomKey();
    String member = api.register("member", memberKey);
    String join = ProtocolJson.write(peer("member", memberKey));
    assertEquals(200, api.send("POST", Protocol.members(party), member, join).status());
    Invite invite = issue(null, null);

    assertEquals(204, api.send("DELETE", Protocol.invite(party, invite.code()), host, null).status());
    assertEquals(204, api.send("DELETE", Protocol.invite(party, party), host, null).status());
    assertRefused(joinAs("x", invite.code()), "INVITE_REVOKED");
    assertRefused(joinAs("y", party), "INVITE_REVOKED");
    assertEquals(200, api.send("POST", Protocol.members(party), member, join).status(),
        "a member that is in the party resumes with the party id");
  }

  @Test
  void onlyTheHostIssuesOrRevokesCodes() {
    Key memberKey = randomKey();
    String member = api.register("member", memberKey);
    api.join(member, party, "member", memberKey);
    RawApi.Answer issued = api.send("POST", Protocol.invites(party), member,
        ProtocolJson.write(new CreateInviteRequest(null, 1)));
    assertEquals("NOT_HOST", issued.code(), issued.body());
    Invite invite = issue(null, null);
    assertEquals("NOT_HOST", api.send("DELETE", Protocol.invite(party, invite.code()), member, null).code());
    String stranger = api.register("stranger", randomKey());
    assertEquals(403, api.send("POST", Protocol.invites(party), stranger,
        ProtocolJson.write(new CreateInviteRequest(null, 1))).status());
    RawApi.Answer tooLong = api.send("POST", Protocol.invites(party), host, "{\"ttlSeconds\":99999999}");
    assertEquals("INVALID_ARGUMENT", tooLong.code(), tooLong.body());
  }

  @Test
  void codesUsesAndRevocationsSurviveARestart() {
    Invite once = issue(null, 1);
    assertEquals(204, api.send("DELETE", Protocol.invite(party, party), host, null).status());
    fx.restart();
    api.close();
    api = new RawApi(fx.port);
    assertRefused(joinAs("x", party), "INVITE_REVOKED");
    assertEquals(200, joinAs("y", once.code()).status());
    fx.restart();
    api.close();
    api = new RawApi(fx.port);
    assertRefused(joinAs("z", once.code()), "INVITE_USED_UP");
  }

  @Test
  void aKickedMemberCannotWalkBackInWithAFreshCode() {
    Key guestKey = randomKey();
    String guest = api.register("guest", guestKey);
    String join = ProtocolJson.write(peer("guest", guestKey));
    assertEquals(200, api.send("POST", Protocol.members(party), guest, join).status());
    assertEquals(204, api.send("POST", Protocol.kick(party, "guest"), host, null).status());
    Invite fresh = issue(null, null);
    RawApi.Answer back = api.send("POST", Protocol.members(fresh.code()), guest, join);
    assertEquals("FORBIDDEN", back.code(), back.body());
  }

  @Test
  void theRealClientIssuesRevokesAndHearsTheTypedReason() throws Exception {
    Key aliceKey = randomKey();
    Key bobKey = randomKey();
    Key carolKey = randomKey();
    RemoteControlPlaneClient alice = fx.client();
    RemoteControlPlaneClient bob = fx.client();
    RemoteControlPlaneClient carol = fx.client();
    alice.start("alice", aliceKey).get(20, TimeUnit.SECONDS);
    bob.start("bob", bobKey).get(20, TimeUnit.SECONDS);
    carol.start("carol", carolKey).get(20, TimeUnit.SECONDS);
    PartyInfo created = alice.createParty("lan", peer("alice", aliceKey)).get(20, TimeUnit.SECONDS);
    Invite invite = alice.createInvite(created.partyId(), "alice", InviteOptions.builder().maxUses(1).build())
        .get(20, TimeUnit.SECONDS);
    assertEquals(created.partyId(), bob.joinParty(invite.code(), peer("bob", bobKey)).get(20, TimeUnit.SECONDS)
        .partyId());
    ExecutionException usedUp = assertThrows(ExecutionException.class,
        () -> carol.joinParty(invite.code(), peer("carol", carolKey)).get(20, TimeUnit.SECONDS));
    assertInstanceOf(InviteUsedUpException.class, usedUp.getCause());
    ExecutionException notHost = assertThrows(ExecutionException.class,
        () -> bob.revokeInvite(created.partyId(), "bob", created.partyId()).get(20, TimeUnit.SECONDS));
    assertInstanceOf(NotHostException.class, notHost.getCause());
    alice.revokeInvite(created.partyId(), "alice", created.partyId()).get(20, TimeUnit.SECONDS);
    ExecutionException revoked = assertThrows(ExecutionException.class,
        () -> carol.joinParty(created.partyId(), peer("carol", carolKey)).get(20, TimeUnit.SECONDS));
    assertEquals(io.partynet.PartyException.Reason.INVITE_REVOKED,
        ((io.partynet.PartyException) revoked.getCause()).reason());
  }
}
