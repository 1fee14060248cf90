package io.partynet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Invite;
import io.partynet.InviteExpiredException;
import io.partynet.InviteOptions;
import io.partynet.InviteRevokedException;
import io.partynet.InviteUsedUpException;
import io.partynet.NotHostException;
import io.partynet.Party;
import io.partynet.PartyException;
import io.partynet.testing.ManagerHarness.Member;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Invite codes through the public API ({@link io.partynet.PartyManager#createInvite},
 * {@link io.partynet.PartyManager#revokeInvite}) on a real control plane: the host issues codes
 * with limits, a code admits into the same party, and an old code is refused with its typed
 * reason. Runs on the local and on the remote plane ({@link LocalInvitesTest}, {@link RemoteInvitesTest}).
 */
abstract class InvitesContract extends PlaneContract {

  @Test
  void theHostsCodesAdmitUntilTheyExpireAreUsedUpOrRevoked() throws Exception {
    Member alice = members.start("alice");
    Member bob = members.start("bob");
    Member carol = members.start("carol");
    Party party = get(alice.manager().create("lan"));

    Invite once = get(alice.manager().createInvite(InviteOptions.builder().maxUses(1).build()));
    assertNotEquals(party.id(), once.code());
    assertEquals(party.id(), get(bob.manager().join(once.code(), "bob")).id(), "the party keeps its id");
    assertInstanceOf(InviteUsedUpException.class, failure(carol.manager().join(once.code(), "carol")));

    // Shorter than the harness's stale timeout, so the members outlive the code.
    Invite brief = get(alice.manager().createInvite(InviteOptions.builder().ttl(Duration.ofMinutes(2)).build()));
    clock.advance(Duration.ofMinutes(2));
    PartyException expired = failure(carol.manager().join(brief.code(), "carol"));
    assertInstanceOf(InviteExpiredException.class, expired);
    assertTrue(expired.getMessage().contains("expired"), expired.getMessage());

    assertInstanceOf(NotHostException.class, failure(bob.manager().createInvite(InviteOptions.builder().build())));
    assertInstanceOf(NotHostException.class, failure(bob.manager().revokeInvite(party.id())));
    get(alice.manager().revokeInvite(party.id()));
    assertInstanceOf(InviteRevokedException.class, failure(carol.manager().join(party.id(), "carol")));

    Invite fresh = get(alice.manager().createInvite(InviteOptions.builder().build()));
    assertEquals(3, get(carol.manager().join(fresh.code(), "carol")).peers().size());
    get(alice.manager().revokeInvite(fresh.code()));
    assertEquals(3, planeParty(party.id()).peers().size(), "revoking a code removes nobody");
  }
}
