package io.partynet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A party: a small group of peers that share one private virtual network.
 *
 * @param id the invite code, in canonical form (see {@link InviteCode})
 * @param name display name, 1..64 characters
 * @param hostId id of the member who created the party; the host alone can kick or disband
 * @param peers members by id, in join order (an unmodifiable copy)
 * @param createdAt when the party was created
 *
 * <p>Immutable and thread-safe.
 */
public record Party(String id, String name, String hostId, Map<String, Peer> peers, Instant createdAt) {

  public static final int MAX_NAME_LENGTH = Names.MAX_PARTY_NAME;

  public Party {
    id = InviteCode.normalize(id);
    name = Names.requirePartyName(name);
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(createdAt, "createdAt");
    Map<String, Peer> copy = new LinkedHashMap<>();
    for (Map.Entry<String, Peer> e : Objects.requireNonNull(peers, "peers").entrySet()) {
      if (!e.getKey().equals(e.getValue().id())) {
        throw new IllegalArgumentException("peer map key " + e.getKey() + " != peer id " + e.getValue().id());
      }
      copy.put(e.getKey(), e.getValue());
    }
    peers = Collections.unmodifiableMap(copy);
  }

  /** The members in join order. */
  public List<Peer> getPeerList() {
    return List.copyOf(peers.values());
  }

  /**
   * The members that a peer behind {@code myNatType} can reach directly according to the seed's
   * matrix (see {@link NatType#canConnectDirectly}).
   */
  public List<Peer> getCompatiblePeers(NatType myNatType) {
    List<Peer> result = new ArrayList<>();
    for (Peer peer : peers.values()) {
      if (myNatType.canConnectDirectly(peer.natType())) {
        result.add(peer);
      }
    }
    return Collections.unmodifiableList(result);
  }

  public Peer host() {
    return peers.get(hostId);
  }

  public boolean isHost(String peerId) {
    return hostId.equals(peerId);
  }

  /** A copy with {@code peer} added or replaced. */
  public Party withPeer(Peer peer) {
    Map<String, Peer> copy = new LinkedHashMap<>(peers);
    copy.put(peer.id(), peer);
    return new Party(id, name, hostId, copy, createdAt);
  }

  /** A copy without the member {@code peerId}. */
  public Party withoutPeer(String peerId) {
    Map<String, Peer> copy = new LinkedHashMap<>(peers);
    copy.remove(peerId);
    return new Party(id, name, hostId, copy, createdAt);
  }

  /** Builds a party from a list of members, keeping their order. */
  public static Party of(String id, String name, String hostId, List<Peer> members, Instant createdAt) {
    Map<String, Peer> map = new LinkedHashMap<>();
    for (Peer p : members) {
      map.put(p.id(), p);
    }
    return new Party(id, name, hostId, map, createdAt);
  }
}
