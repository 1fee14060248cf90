package io.partynet.spi;

import io.partynet.Invite;
import io.partynet.InviteOptions;
import io.partynet.Key;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The rendezvous that holds parties: membership, heartbeats and signalling between members.
 * {@code local} shares a discovery file between processes of one machine; {@code remote} talks to
 * the PartyNet control plane server.
 *
 * <p>Rules every implementation enforces: a member changes only its own entry; only the host kicks
 * or disbands; a host leaving disbands the party; a party whose last member leaves is deleted.
 * Futures fail with {@link io.partynet.PartyException} subclasses and never hang: each call has
 * the configured request timeout. Implementations are thread-safe; each listener's callbacks run
 * on the executor it was registered with, in the order the events happened.
 */
public interface ControlPlane extends AutoCloseable {

  /**
   * The value of {@code control.mode} that selects this control plane.
   *
   * @return {@code "local"}, {@code "remote"}, ...
   */
  String name();

  /**
   * Connects as the member {@code peerId} with WireGuard key {@code publicKey} (the remote plane
   * registers and obtains its token here). Fails with {@link io.partynet.ControlPlaneUnavailableException}
   * when the control plane cannot be reached.
   *
   * @param peerId the local member's stable id
   * @param publicKey its WireGuard public key
   * @return completes once connected
   */
  CompletableFuture<Void> start(String peerId, Key publicKey);

  /**
   * Creates a party; the control plane chooses the invite code and assigns the host's virtual IP.
   *
   * @param partyName the party's display name
   * @param host the local member, its host
   * @return the new party with the host as its only member
   */
  CompletableFuture<PartyInfo> createParty(String partyName, Peer host);

  /**
   * Adds a member to a party and assigns its virtual IP.
   *
   * @param partyId the party id or an invite code the host issued; the answer carries the party id
   * @param peer the joining (local) member
   * @return the party with every member; fails with {@link io.partynet.PartyNotFoundException},
   *     {@link io.partynet.PartyFullException} or an {@link io.partynet.InviteNoLongerValidException}
   *     (expired, revoked, used up); a member already in the party is admitted with any of its codes
   */
  CompletableFuture<PartyInfo> joinParty(String partyId, Peer peer);

  /**
   * Issues an invite code for the party; only its host may.
   *
   * @param partyId the party
   * @param hostId the local member, its host
   * @param options the code's time and use limits
   * @return the invite; fails with {@link io.partynet.NotHostException}; a control plane without
   *     invites fails with {@code INVALID_ARGUMENT}
   */
  default CompletableFuture<Invite> createInvite(String partyId, String hostId, InviteOptions options) {
    return CompletableFuture.failedFuture(io.partynet.PartyException.of(io.partynet.PartyException.Reason.INVALID_ARGUMENT,
        "the " + name() + " control plane cannot issue invite codes; share the party id"));
  }

  /**
   * Revokes an invite code of the party, or the party id itself; only its host may.
   *
   * @param partyId the party
   * @param hostId the local member, its host
   * @param code the invite code or the party id
   * @return completes once revoked; fails with {@link io.partynet.NotHostException}
   */
  default CompletableFuture<Void> revokeInvite(String partyId, String hostId, String code) {
    return CompletableFuture.failedFuture(io.partynet.PartyException.of(io.partynet.PartyException.Reason.INVALID_ARGUMENT,
        "the " + name() + " control plane cannot revoke invite codes"));
  }

  /**
   * Removes the calling member; the host leaving disbands the party.
   *
   * @param partyId the invite code
   * @param peerId the caller's own id
   * @return completes when done; fails with a {@link io.partynet.PartyException} subclass
   */
  CompletableFuture<Void> leaveParty(String partyId, String peerId);

  /**
   * Removes a member; only the host may.
   *
   * @param partyId the invite code
   * @param hostId the caller, who must be the host
   * @param peerId the member to remove
   * @return completes when done; fails with a {@link io.partynet.PartyException} subclass
   */
  CompletableFuture<Void> kick(String partyId, String hostId, String peerId);

  /**
   * Ends the party for everyone; only the host may.
   *
   * @param partyId the invite code
   * @param hostId the caller, who must be the host
   * @return completes when done; fails with a {@link io.partynet.PartyException} subclass
   */
  CompletableFuture<Void> disband(String partyId, String hostId);

  /**
   * Refreshes the member's last-seen time; members that stop sending heartbeats are removed.
   *
   * @param partyId the invite code
   * @param peerId the caller's own id
   * @return completes when done; fails with a {@link io.partynet.PartyException} subclass
   */
  CompletableFuture<Void> heartbeat(String partyId, String peerId);

  /**
   * Replaces the caller's own entry (endpoint, NAT type, connection type, latency).
   *
   * @param partyId the invite code
   * @param self the caller's new entry; its id must be the caller's
   * @return completes when done; fails with a {@link io.partynet.PartyException} subclass
   */
  CompletableFuture<Void> updatePeer(String partyId, Peer self);

  /**
   * The party as the control plane knows it.
   *
   * @param partyId the invite code
   * @return the party, or empty when it does not exist
   */
  CompletableFuture<Optional<PartyInfo>> getParty(String partyId);

  /**
   * Delivers a signalling message to another member of the same party.
   *
   * @param signal the message; its sender must be the caller
   * @return completes when done; fails with a {@link io.partynet.PartyException} subclass
   */
  CompletableFuture<Void> signal(Signal signal);

  /**
   * The STUN and TURN servers this control plane hands out, once known (after {@link #start}),
   * kept fresh before their credential expires. Empty when the control plane hands out none (the
   * local one never does): then use the servers in the settings.
   *
   * @return the servers, or empty
   */
  default Optional<IceServers> iceServers() {
    return Optional.empty();
  }

  /**
   * Delivers events to {@code listener} through {@code executor}: one task per event, handed over
   * in the order the events happened (the manager passes its single worker, so events reach it in
   * order and interleave with nothing else). A task that throws is the executor's concern, never
   * the control plane's; the control plane keeps no event thread of its own for this.
   *
   * @param listener the listener
   * @param executor where the listener's calls run
   */
  void addListener(ControlPlaneListener listener, Executor executor);

  /**
   * Delivers events to {@code listener} on the control plane's own thread, in order; it must not block.
   *
   * @param listener the listener
   */
  default void addListener(ControlPlaneListener listener) {
    addListener(listener, Runnable::run);
  }

  /**
   * Removes a listener added before.
   *
   * @param listener the listener
   */
  void removeListener(ControlPlaneListener listener);

  /** Stops background work; does not leave any party. */
  @Override
  void close();
}
