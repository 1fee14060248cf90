package io.partynet;

import java.time.Instant;
import java.util.List;
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
 * @param candidates the paths this member tries to reach the member, best first (empty for the
 *     local member and while there is no plan)
 */
public record PeerStatus(Peer peer, boolean self, Instant lastSeen, Instant lastHandshake, long rxBytes,
    long txBytes, PathType path, LinkQuality linkQuality, List<PathCandidate> candidates) {
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
   * @param candidates the paths tried, best first; null means none
   */
  public PeerStatus {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(path, "path");
    candidates = candidates == null ? List.of() : List.copyOf(candidates);
  }

  /**
   * A status without the list of candidates tried.
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
  public PeerStatus(Peer peer, boolean self, Instant lastSeen, Instant lastHandshake, long rxBytes, long txBytes,
      PathType path, LinkQuality linkQuality) {
    this(peer, self, lastSeen, lastHandshake, rxBytes, txBytes, path, linkQuality, List.of());
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
        PathType.of(Objects.requireNonNull(peer, "peer").connectionType()), null, List.of());
  }
}
