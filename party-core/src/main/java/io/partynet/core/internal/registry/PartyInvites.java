package io.partynet.core.internal.registry;

import io.partynet.Invite;
import io.partynet.InviteExpiredException;
import io.partynet.InviteOptions;
import io.partynet.InviteRevokedException;
import io.partynet.InviteUsedUpException;
import io.partynet.PartyException;
import io.partynet.PartyNotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One party's invite codes. The party id is the party's first invite: it admits anyone until the
 * host revokes it, which is recorded as a revoked invite under the party id. Codes that stopped
 * admitting (expired, revoked, used up) are kept for the party's life, so a late joiner hears why
 * rather than "not found"; when the party holds {@link #MAX_PER_PARTY} codes, the oldest dead one
 * makes room. Not thread-safe: used under the registry's lock.
 */
final class PartyInvites {
  /** The most codes (live or dead) one party keeps. */
  static final int MAX_PER_PARTY = 64;

  private final String partyId;
  private final Map<String, Invite> byCode = new LinkedHashMap<>();

  PartyInvites(String partyId, List<Invite> restored) {
    this.partyId = partyId;
    restored.forEach(invite -> byCode.put(invite.code(), invite));
  }

  /** Issues {@code code} (fresh and unique, chosen by the registry) with {@code options}' limits. */
  Invite issue(String code, Instant now, InviteOptions options) {
    makeRoom(now);
    Instant expiresAt = options.timeLimit().map(now::plus).orElse(null);
    Invite invite = new Invite(code, partyId, now, expiresAt, options.maxUses(), 0, false);
    byCode.put(code, invite);
    return invite;
  }

  /** Revokes {@code code}, one of this party's invites or the party id; revoking twice changes nothing. */
  void revoke(String code, Instant partyCreatedAt) {
    Invite invite = byCode.get(code);
    if (invite == null && code.equals(partyId)) {
      byCode.put(code, new Invite(partyId, partyId, partyCreatedAt, null, 0, 0, true));
    } else if (invite == null) {
      throw new PartyNotFoundException("Party " + partyId + " has no invite code " + code
          + ": check the code, or issue a new one", null);
    } else {
      byCode.put(code, invite.withRevoked());
    }
  }

  /**
   * Checks that {@code code} (an invite of this party or its id) admits a new member at {@code now}.
   *
   * Fails with {@link InviteRevokedException}, {@link InviteExpiredException} or
   * {@link InviteUsedUpException}, saying which.
   */
  void requireAdmits(String code, Instant now) {
    Invite invite = byCode.get(code);
    if (invite == null) {
      return;
    }
    if (invite.revoked()) {
      throw new InviteRevokedException("The host revoked invite code " + code + " (revoked): ask the host for a new one");
    }
    if (invite.expiredAt(now)) {
      throw new InviteExpiredException("Invite code " + code + " expired at " + invite.expiresAt()
          + " (expired): ask the host for a new one");
    }
    if (invite.usedUp()) {
      throw new InviteUsedUpException("Invite code " + code + " admitted its " + invite.maxUses()
          + " member(s) already (used up): ask the host for a new one");
    }
  }

  /** Counts one member admitted with {@code code}. */
  void countUse(String code) {
    Invite invite = byCode.get(code);
    if (invite != null && !code.equals(partyId)) {
      byCode.put(code, invite.used());
    }
  }

  boolean holds(String code) {
    return byCode.containsKey(code);
  }

  List<Invite> all() {
    return List.copyOf(byCode.values());
  }

  private void makeRoom(Instant now) {
    if (byCode.size() < MAX_PER_PARTY) {
      return;
    }
    for (Invite invite : new ArrayList<>(byCode.values())) {
      // The party id's revocation is never dropped: that would reopen the party.
      if (!invite.code().equals(partyId) && (invite.revoked() || invite.usedUp() || invite.expiredAt(now))) {
        byCode.remove(invite.code());
        return;
      }
    }
    throw PartyException.of(PartyException.Reason.INVALID_ARGUMENT, "Party " + partyId + " has "
        + MAX_PER_PARTY + " invite codes that still admit members: revoke some before issuing more");
  }
}
