package io.partynet;

import java.time.Instant;
import java.util.Objects;

/**
 * One member's live state, as {@link PartyManager#status()} reports it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param peer the member (its latency and connection type are the latest measured)
 * @param self true for the local member
 * @param lastSeen last heartbeat the control plane saw from the member; null when unknown
 * @param lastHandshake the latest WireGuard handshake with the member; null when none or not applicable
 * @param rxBytes bytes received from the member over the tunnel
 * @param txBytes bytes sent to the member over the tunnel
 */
public record PeerStatus(Peer peer, boolean self, Instant lastSeen, Instant lastHandshake, long rxBytes,
    long txBytes) {
  /**
   * {@code peer} is required; the times may be null when unknown.
   *
   * @param peer the member (its latency and connection type are the latest measured)
   * @param self true for the local member
   * @param lastSeen last heartbeat the control plane saw from the member; null when unknown
   * @param lastHandshake the latest WireGuard handshake with the member; null when none or not applicable
   * @param rxBytes bytes received from the member over the tunnel
   * @param txBytes bytes sent to the member over the tunnel
   */
  public PeerStatus {
    Objects.requireNonNull(peer, "peer");
  }
}
