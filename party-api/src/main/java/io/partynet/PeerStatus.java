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
 * @param path which of the member's candidates carries the traffic ({@link PathType#NONE} for the local member)
 * @param linkQuality round-trip time, jitter and loss of the tunnel to the member (milliseconds and
 *     a fraction; see {@link LinkQuality}); null for the local member and when the network is off
 */
public record PeerStatus(Peer peer, boolean self, Instant lastSeen, Instant lastHandshake, long rxBytes,
    long txBytes, PathType path, LinkQuality linkQuality) {
  /**
   * {@code peer} is required; the times and the link quality may be null when unknown.
   *
   * @param peer the member (its latency and connection type are the latest measured)
   * @param self true for the local member
   * @param lastSeen last heartbeat the control plane saw from the member; null when unknown
   * @param lastHandshake the latest WireGuard handshake with the member; null when none or not applicable
   * @param rxBytes bytes received from the member over the tunnel
   * @param txBytes bytes sent to the member over the tunnel
   * @param path which of the member's candidates carries the traffic
   * @param linkQuality the measured link quality, or null when not measured
   */
  public PeerStatus {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(path, "path");
  }

  /**
   * A status whose path is what the peer's connection type implies ({@link PathType#of}), without a
   * link-quality measurement.
   *
   * @param peer the member (its latency and connection type are the latest measured)
   * @param self true for the local member
   * @param lastSeen last heartbeat the control plane saw from the member; null when unknown
   * @param lastHandshake the latest WireGuard handshake with the member; null when none or not applicable
   * @param rxBytes bytes received from the member over the tunnel
   * @param txBytes bytes sent to the member over the tunnel
   */
  public PeerStatus(Peer peer, boolean self, Instant lastSeen, Instant lastHandshake, long rxBytes, long txBytes) {
    this(peer, self, lastSeen, lastHandshake, rxBytes, txBytes,
        PathType.of(Objects.requireNonNull(peer, "peer").connectionType()), null);
  }
}
