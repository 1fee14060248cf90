package io.partynet.core.internal.manager;

import io.partynet.Invite;
import io.partynet.InviteOptions;
import io.partynet.NotHostException;
import io.partynet.Party;
import io.partynet.spi.ControlPlane;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The host's invite codes: issued and revoked by the control plane, asked only by the host of the
 * current party. The control plane checks that too; asking first gives the application a
 * {@link NotHostException} without a round trip.
 *
 * <p>Confined to the manager's worker thread.
 */
final class HostInvites {
  private final Membership membership;
  private final ControlPlane controlPlane;
  private final String myPeerId;
  private final Duration timeout;

  HostInvites(Membership membership, ControlPlane controlPlane, String myPeerId, Duration timeout) {
    this.membership = membership;
    this.controlPlane = controlPlane;
    this.myPeerId = myPeerId;
    this.timeout = timeout;
  }

  CompletableFuture<Invite> create(InviteOptions options) {
    Party current = requireHostedParty();
    return Futures.bounded(controlPlane.createInvite(current.id(), myPeerId, options), timeout,
        "issuing an invite code");
  }

  /** @param code an invite code already normalized */
  CompletableFuture<Void> revoke(String code) {
    Party current = requireHostedParty();
    return Futures.bounded(controlPlane.revokeInvite(current.id(), myPeerId, code), timeout,
        "revoking invite code " + code);
  }

  private Party requireHostedParty() {
    Party current = membership.requireParty();
    if (!current.isHost(myPeerId)) {
      throw new NotHostException(current.id());
    }
    return current;
  }
}
