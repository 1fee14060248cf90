package io.partynet;

import java.time.Instant;
import java.util.Objects;

/**
 * One member of a party as everybody else sees it.
 *
 * @param id stable random id of the member, unique within the party
 * @param name display name, 1..32 characters, no control characters
 * @param publicKey the member's WireGuard public key, base64; the private key never leaves its device
 * @param virtualIp the member's address inside the party's subnet; null until the control plane assigns one
 * @param endpoint where the member's WireGuard can be reached from outside; null when unknown
 * @param latencyMs last measured round trip over the tunnel, in milliseconds; null when not measured
 * @param connectionType how traffic to this member travels, from the local member's point of view
 * @param natType the member's NAT class as it detected it
 * @param joinedAt when the member joined the party
 *
 * <p>Immutable and thread-safe; the {@code with...} methods return modified copies.
 */
public record Peer(
    String id,
    String name,
    String publicKey,
    String virtualIp,
    Endpoint endpoint,
    Double latencyMs,
    ConnectionType connectionType,
    NatType natType,
    Instant joinedAt) {

  public static final int MAX_NAME_LENGTH = Names.MAX_PEER_NAME;

  public Peer {
    Names.requirePeerId(id);
    name = Names.requirePeerName(name);
    if (!Key.isValidBase64(publicKey)) {
      throw new IllegalArgumentException("peer public key must be a base64 WireGuard key");
    }
    if (virtualIp != null && !IpAddresses.isLiteral(virtualIp)) {
      throw new IllegalArgumentException("virtual IP must be an IP literal: " + virtualIp);
    }
    if (latencyMs != null && (!Double.isFinite(latencyMs) || latencyMs < 0)) {
      throw new IllegalArgumentException("latency must be a finite non-negative number: " + latencyMs);
    }
    connectionType = connectionType == null ? ConnectionType.NONE : connectionType;
    natType = natType == null ? NatType.UNKNOWN : natType;
    Objects.requireNonNull(joinedAt, "joinedAt");
  }

  /** A member that has not joined yet: no virtual IP, no endpoint, nothing measured. */
  public static Peer newMember(String id, String name, Key publicKey, NatType natType, Instant now) {
    return new Peer(id, name, publicKey.toBase64(), null, null, null, ConnectionType.NONE, natType, now);
  }

  public Peer withVirtualIp(String ip) {
    return new Peer(id, name, publicKey, ip, endpoint, latencyMs, connectionType, natType, joinedAt);
  }

  public Peer withEndpoint(Endpoint ep) {
    return new Peer(id, name, publicKey, virtualIp, ep, latencyMs, connectionType, natType, joinedAt);
  }

  public Peer withLatencyMs(Double ms) {
    return new Peer(id, name, publicKey, virtualIp, endpoint, ms, connectionType, natType, joinedAt);
  }

  public Peer withConnectionType(ConnectionType type) {
    return new Peer(id, name, publicKey, virtualIp, endpoint, latencyMs, type, natType, joinedAt);
  }

  public Peer withNatType(NatType type) {
    return new Peer(id, name, publicKey, virtualIp, endpoint, latencyMs, connectionType, type, joinedAt);
  }

  public Peer withJoinedAt(Instant at) {
    return new Peer(id, name, publicKey, virtualIp, endpoint, latencyMs, connectionType, natType, at);
  }
}
