package io.partynet;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An invite code the host issued for its party: who has it may join until it expires, is used up
 * or is revoked (see {@link PartyManager#createInvite(InviteOptions)}). The party keeps its own id
 * ({@link Party#id()}) whatever happens to its invites. Immutable and thread-safe.
 *
 * @param code the code to hand out, in the same form as a party id ({@code 7KQ2-M9XD-4RTA})
 * @param partyId the party it admits to
 * @param createdAt when the host issued it (the control plane's clock)
 * @param expiresAt when it stops admitting anyone, or null when only uses or a revocation end it
 * @param maxUses how many members it admits, 0 for no limit
 * @param uses how many it admitted so far
 * @param revoked whether the host revoked it
 */
public record Invite(String code, String partyId, Instant createdAt, Instant expiresAt, int maxUses, int uses,
    boolean revoked) {

  /**
   * Checks the values; the codes are normalized.
   *
   * @param code the code to hand out
   * @param partyId the party it admits to
   * @param createdAt when the host issued it
   * @param expiresAt when it stops admitting anyone, or null
   * @param maxUses how many members it admits, 0 for no limit
   * @param uses how many it admitted so far
   * @param revoked whether the host revoked it
   * @throws IllegalArgumentException when a count is negative or it expires before it was made
   */
  public Invite {
    code = InviteCode.normalize(code);
    partyId = InviteCode.normalize(partyId);
    Objects.requireNonNull(createdAt, "createdAt");
    if (expiresAt != null && expiresAt.isBefore(createdAt)) {
      throw new IllegalArgumentException("an invite cannot expire before it was made");
    }
    if (maxUses < 0 || uses < 0) {
      throw new IllegalArgumentException("invite uses cannot be negative");
    }
  }

  /**
   * When it stops admitting anyone, if it has a time limit.
   *
   * @return the expiry, or empty
   */
  public Optional<Instant> expiry() {
    return Optional.ofNullable(expiresAt);
  }

  /**
   * Whether it has admitted as many members as it may.
   *
   * @return true when {@code maxUses > 0} and {@code uses >= maxUses}
   */
  public boolean usedUp() {
    return maxUses > 0 && uses >= maxUses;
  }

  /**
   * Whether its time ran out at {@code now}.
   *
   * @param now the current time
   * @return true when it has an expiry at or before {@code now}
   */
  public boolean expiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  /**
   * This invite having admitted one more member.
   *
   * @return a copy with {@code uses + 1}
   */
  public Invite used() {
    return new Invite(code, partyId, createdAt, expiresAt, maxUses, uses + 1, revoked);
  }

  /**
   * This invite revoked.
   *
   * @return a copy with {@code revoked = true}
   */
  public Invite withRevoked() {
    return new Invite(code, partyId, createdAt, expiresAt, maxUses, uses, true);
  }
}
