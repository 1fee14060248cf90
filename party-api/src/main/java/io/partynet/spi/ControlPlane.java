package io.partynet.spi;

import io.partynet.Key;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The rendezvous that holds parties: membership, heartbeats and signalling between members.
 * {@code local} shares a discovery file between processes of one machine; {@code remote} talks to
 * the PartyNet control plane server.
 *
 * <p>Rules every implementation enforces: a member changes only its own entry; only the host kicks
 * or disbands; a host leaving disbands the party; a party whose last member leaves is deleted.
 * Futures fail with {@link io.partynet.PartyException} subclasses and never hang: each call has
 * the configured request timeout. Implementations are thread-safe; listener callbacks run on one
 * thread of the control plane, in order.
 */
public interface ControlPlane extends AutoCloseable {

  /** {@code "local"}, {@code "remote"}, ...: the value of {@code control.mode} that selects it. */
  String name();

  /**
   * Connects as the member {@code peerId} with WireGuard key {@code publicKey} (the remote plane
   * registers and obtains its token here). Fails with {@link io.partynet.ControlPlaneUnavailableException}
   * when the control plane cannot be reached.
   */
  CompletableFuture<Void> start(String peerId, Key publicKey);

  /** Creates a party hosted by {@code host}; the control plane chooses the invite code and assigns the host's virtual IP. */
  CompletableFuture<PartyInfo> createParty(String partyName, Peer host);

  /** Adds {@code peer} to the party and assigns its virtual IP; the answer includes every member. */
  CompletableFuture<PartyInfo> joinParty(String partyId, Peer peer);

  /** Removes the member {@code peerId} (the caller itself); the host leaving disbands the party. */
  CompletableFuture<Void> leaveParty(String partyId, String peerId);

  /** The host {@code hostId} removes {@code peerId}. */
  CompletableFuture<Void> kick(String partyId, String hostId, String peerId);

  /** The host {@code hostId} ends the party for everyone. */
  CompletableFuture<Void> disband(String partyId, String hostId);

  /** Refreshes the member's last-seen time; members that stop sending heartbeats are removed. */
  CompletableFuture<Void> heartbeat(String partyId, String peerId);

  /** Replaces the caller's own entry (endpoint, NAT type, connection type, latency). */
  CompletableFuture<Void> updatePeer(String partyId, Peer self);

  /** The party as the control plane knows it, or empty when it does not exist. */
  CompletableFuture<Optional<PartyInfo>> getParty(String partyId);

  /** Delivers a signalling message to another member of the same party. */
  CompletableFuture<Void> signal(Signal signal);

  /**
   * The STUN and TURN servers this control plane hands out, once known (after {@link #start}),
   * kept fresh before their credential expires. Empty when the control plane hands out none (the
   * local one never does): then use the servers in the settings.
   */
  default Optional<IceServers> iceServers() {
    return Optional.empty();
  }

  void addListener(ControlPlaneListener listener);

  void removeListener(ControlPlaneListener listener);

  /** Stops background work; does not leave any party. */
  @Override
  void close();
}
