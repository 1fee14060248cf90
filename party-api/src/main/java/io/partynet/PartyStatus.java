package io.partynet;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot of the current party, as {@link PartyManager#status()} reports it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param partyId invite code
 * @param partyName party name
 * @param hostId the host's peer id
 * @param myPeerId the local member's id
 * @param myNatType the local member's detected NAT class
 * @param network the network backend in use ({@code "off"} when the member runs membership only)
 * @param controlPlane the control plane in use ({@code "local"}, {@code "remote"})
 * @param peers every member including the local one, in join order
 * @param takenAt when this snapshot was taken
 */
public record PartyStatus(String partyId, String partyName, String hostId, String myPeerId, NatType myNatType,
    String network, String controlPlane, List<PeerStatus> peers, Instant takenAt) {
  /**
   * Copies the member list; {@code partyId}, {@code peers} and {@code takenAt} are required.
   *
   * @param partyId invite code
   * @param partyName party name
   * @param hostId the host's peer id
   * @param myPeerId the local member's id
   * @param myNatType the local member's detected NAT class
   * @param network the network backend in use ({@code "off"} when the member runs membership only)
   * @param controlPlane the control plane in use ({@code "local"}, {@code "remote"})
   * @param peers every member including the local one, in join order
   * @param takenAt when this snapshot was taken
   */
  public PartyStatus {
    Objects.requireNonNull(partyId, "partyId");
    peers = List.copyOf(peers);
    Objects.requireNonNull(takenAt, "takenAt");
  }
}
