package io.partynet;

import java.time.Instant;
import java.util.Objects;

/**
 * One member of a party as everybody else sees it.
 *
 * <p>Immutable and thread-safe; the {@code with...} methods return modified copies.
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

  /** Longest peer (display) name, in characters. */
  public static final int MAX_NAME_LENGTH = Names.MAX_PEER_NAME;

  /**
   * Checks every part; a null connection type reads as {@link ConnectionType#NONE}, a null NAT
   * type as {@link NatType#UNKNOWN}.
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
   * @throws IllegalArgumentException when an id, name, key, address or latency breaks its rule
   */
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

  /**
   * A member that has not joined yet: no virtual IP, no endpoint, nothing measured.
   *
   * @param id the member's stable id
   * @param name its display name
   * @param publicKey its WireGuard public key
   * @param natType its NAT class
   * @param now the join time
   * @return the member
   */
  public static Peer newMember(String id, String name, Key publicKey, NatType natType, Instant now) {
    return new Peer(id, name, publicKey.toBase64(), null, null, null, ConnectionType.NONE, natType, now);
  }

  /**
   * A copy with another virtual IP.
   *
   * @param ip the address, or null
   * @return the new member
   */
  public Peer withVirtualIp(String ip) {
    return new Peer(id, name, publicKey, ip, endpoint, latencyMs, connectionType, natType, joinedAt);
  }

  /**
   * A copy with another endpoint.
   *
   * @param ep the endpoint, or null
   * @return the new member
   */
  public Peer withEndpoint(Endpoint ep) {
    return new Peer(id, name, publicKey, virtualIp, ep, latencyMs, connectionType, natType, joinedAt);
  }

  /**
   * A copy with another latency.
   *
   * @param ms the round trip in milliseconds, or null
   * @return the new member
   */
  public Peer withLatencyMs(Double ms) {
    return new Peer(id, name, publicKey, virtualIp, endpoint, ms, connectionType, natType, joinedAt);
  }

  /**
   * A copy with another connection type.
   *
   * @param type the path
   * @return the new member
   */
  public Peer withConnectionType(ConnectionType type) {
    return new Peer(id, name, publicKey, virtualIp, endpoint, latencyMs, type, natType, joinedAt);
  }

  /**
   * A copy with another NAT type.
   *
   * @param type the NAT class
   * @return the new member
   */
  public Peer withNatType(NatType type) {
    return new Peer(id, name, publicKey, virtualIp, endpoint, latencyMs, connectionType, type, joinedAt);
  }

  /**
   * A copy with another join time.
   *
   * @param at the time
   * @return the new member
   */
  public Peer withJoinedAt(Instant at) {
    return new Peer(id, name, publicKey, virtualIp, endpoint, latencyMs, connectionType, natType, at);
  }
}
