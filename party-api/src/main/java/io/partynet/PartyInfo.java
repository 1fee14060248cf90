package io.partynet;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a control plane answers about a party: its members as the control plane knows them.
 *
 * <p>Immutable and thread-safe.
 *
 * @param partyId invite code
 * @param name party name
 * @param hostId the host's peer id
 * @param peers members in join order
 * @param createdAt creation time
 * @param subnet the party's virtual subnet, from which member addresses are assigned
 */
public record PartyInfo(String partyId, String name, String hostId, List<Peer> peers, Instant createdAt,
    IpPrefix subnet) {

  /**
   * Checks the parts and copies the member list.
   *
   * @param partyId invite code
   * @param name party name
   * @param hostId the host's peer id
   * @param peers members in join order
   * @param createdAt creation time
   * @param subnet the party's virtual subnet, from which member addresses are assigned
   * @throws InvalidInviteCodeException when {@code partyId} is not an invite code
   */
  public PartyInfo {
    partyId = InviteCode.normalize(partyId);
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(hostId, "hostId");
    peers = List.copyOf(peers);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(subnet, "subnet");
  }

  /**
   * Converts to the local {@link Party} model.
   *
   * @return the party, members in the same order
   */
  public Party toParty() {
    return Party.of(partyId, name, hostId, peers, createdAt);
  }

  /**
   * What a control plane answers about {@code party}.
   *
   * @param party the party
   * @param subnet its virtual subnet
   * @return the party info
   */
  public static PartyInfo of(Party party, IpPrefix subnet) {
    return new PartyInfo(party.id(), party.name(), party.hostId(), party.getPeerList(), party.createdAt(), subnet);
  }

  /**
   * A member by id.
   *
   * @param peerId the member's id
   * @return the member, or null when it is not in the party
   */
  public Peer peer(String peerId) {
    for (Peer p : peers) {
      if (p.id().equals(peerId)) {
        return p;
      }
    }
    return null;
  }
}
