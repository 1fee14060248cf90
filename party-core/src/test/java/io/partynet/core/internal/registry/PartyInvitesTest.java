package io.partynet.core.internal.registry;

import static io.partynet.testing.TestPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Invite;
import io.partynet.InviteExpiredException;
import io.partynet.InviteOptions;
import io.partynet.InviteRevokedException;
import io.partynet.InviteUsedUpException;
import io.partynet.IpPrefix;
import io.partynet.NotHostException;
import io.partynet.PartyException;
import io.partynet.PartyInfo;
import io.partynet.PartyNotFoundException;
import io.partynet.core.internal.json.Json;
import io.partynet.testing.ManualClock;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The registry's invite codes: limits, revocation, the party id as first invite, persistence. */
class PartyInvitesTest {
  private final ManualClock clock = ManualClock.startingAt("2026-01-01T00:00:00Z");
  private final PartyRegistry registry = new PartyRegistry(
      new RegistrySettings(IpPrefix.parse("10.77.0.0/16"), 16, Duration.ofSeconds(90)), clock, new Random(7));
  private final PartyInfo party = registry.createParty("lan", peer("host"));

  private Invite invite(InviteOptions options) {
    return registry.createInvite(party.partyId(), "host", options);
  }

  @Test
  void anInviteAdmitsIntoTheSamePartyWhoseIdStaysTheSame() {
    Invite invite = invite(InviteOptions.builder().build());
    assertNotEquals(party.partyId(), invite.code());
    PartyInfo joined = registry.joinParty(invite.code(), peer("b"));
    assertEquals(party.partyId(), joined.partyId());
    assertEquals(1, registry.invites(party.partyId()).get(0).uses());
    assertEquals(party.partyId(), registry.resolvePartyId(invite.code()));
  }

  @Test
  void anExpiredCodeIsRefusedAsExpired() {
    Invite invite = invite(InviteOptions.builder().ttl(Duration.ofHours(1)).build());
    assertEquals(clock.instant().plus(Duration.ofHours(1)), invite.expiresAt());
    registry.joinParty(invite.code(), peer("early"));
    clock.advance(Duration.ofHours(1));
    InviteExpiredException e = assertThrows(InviteExpiredException.class, () -> registry.joinParty(invite.code(), peer("late")));
    assertTrue(e.getMessage().contains("expired") && e.getMessage().contains(invite.code()), e.getMessage());
  }

  @Test
  void aCodeIsUsedUpAfterItsUses() {
    Invite invite = invite(InviteOptions.builder().maxUses(2).build());
    registry.joinParty(invite.code(), peer("a"));
    registry.joinParty(invite.code(), peer("b"));
    assertEquals(PartyException.Reason.INVITE_USED_UP,
        assertThrows(InviteUsedUpException.class, () -> registry.joinParty(invite.code(), peer("c"))).reason());
    registry.joinParty(invite.code(), peer("a"));
    assertEquals(2, registry.invites(party.partyId()).get(0).uses(), "a member rejoining uses no code");
  }

  @Test
  void aRevokedCodeAndARevokedPartyIdAreRefusedButMembersStayAndMayResume() {
    Invite invite = invite(InviteOptions.builder().build());
    registry.joinParty(party.partyId(), peer("m"));
    registry.revokeInvite(party.partyId(), "host", invite.code());
    registry.revokeInvite(party.partyId(), "host", party.partyId());
    assertThrows(InviteRevokedException.class, () -> registry.joinParty(invite.code(), peer("x")));
    InviteRevokedException byId = assertThrows(InviteRevokedException.class,
        () -> registry.joinParty(party.partyId(), peer("y")));
    assertTrue(byId.getMessage().contains("revoked"), byId.getMessage());
    assertEquals(2, registry.joinParty(party.partyId(), peer("m")).peers().size(), "a member resumes with the id");
    Invite fresh = invite(InviteOptions.builder().maxUses(1).build());
    assertEquals(3, registry.joinParty(fresh.code(), peer("y")).peers().size(), "a fresh code still admits");
  }

  @Test
  void onlyTheHostIssuesOrRevokesAndOnlyItsOwnPartysCodes() {
    registry.joinParty(party.partyId(), peer("m"));
    assertThrows(NotHostException.class, () -> registry.createInvite(party.partyId(), "m", InviteOptions.builder().build()));
    Invite invite = invite(InviteOptions.builder().build());
    assertThrows(NotHostException.class, () -> registry.revokeInvite(party.partyId(), "m", invite.code()));
    PartyInfo other = registry.createParty("other", peer("host2"));
    assertThrows(PartyNotFoundException.class, () -> registry.revokeInvite(other.partyId(), "host2", invite.code()));
  }

  @Test
  void codesSurviveASnapshotAndDieWithTheParty() throws Exception {
    Invite invite = invite(InviteOptions.builder().maxUses(1).build());
    registry.revokeInvite(party.partyId(), "host", party.partyId());
    String json = Json.mapper().writeValueAsString(registry.snapshot());
    PartyRegistry restored = new PartyRegistry(registry.settings(), clock, new Random(1));
    restored.restore(Json.mapper().readValue(json, RegistrySnapshot.class));
    assertThrows(InviteRevokedException.class, () -> restored.joinParty(party.partyId(), peer("x")));
    restored.joinParty(invite.code(), peer("y"));
    assertThrows(InviteUsedUpException.class, () -> restored.joinParty(invite.code(), peer("z")));
    restored.disband(party.partyId(), "host");
    assertThrows(PartyNotFoundException.class, () -> restored.joinParty(invite.code(), peer("z")));
  }

  @Test
  void aSnapshotFromBeforeInvitesLoadsWithNone() throws Exception {
    String json = Json.mapper().writeValueAsString(registry.snapshot()).replaceAll(",?\"invites\":\\[\\]", "");
    PartyRegistry restored = new PartyRegistry(registry.settings(), clock, new Random(1));
    restored.restore(Json.mapper().readValue(json, RegistrySnapshot.class));
    assertEquals(2, restored.joinParty(party.partyId(), peer("b")).peers().size());
  }

  @Test
  void deadCodesMakeRoomButLiveOnesAreCapped() {
    for (int i = 0; i < PartyInvites.MAX_PER_PARTY; i++) {
      invite(InviteOptions.builder().build());
    }
    assertThrows(PartyException.class, () -> invite(InviteOptions.builder().build()));
    Invite first = registry.invites(party.partyId()).get(0);
    registry.revokeInvite(party.partyId(), "host", first.code());
    invite(InviteOptions.builder().build());
    assertEquals(PartyInvites.MAX_PER_PARTY, registry.invites(party.partyId()).size());
  }
}
