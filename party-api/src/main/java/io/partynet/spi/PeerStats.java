package io.partynet.spi;

import io.partynet.Endpoint;
import io.partynet.Key;
import java.time.Instant;
import java.util.Objects;

/**
 * What WireGuard reports for one peer.
 *
 * <p>Immutable and thread-safe.
 *
 * @param publicKey the peer
 * @param endpoint the endpoint WireGuard currently sends to (follows roaming); null when none
 * @param lastHandshake time of the latest completed handshake; null when there was none
 * @param rxBytes bytes received from the peer
 * @param txBytes bytes sent to the peer
 */
public record PeerStats(Key publicKey, Endpoint endpoint, Instant lastHandshake, long rxBytes, long txBytes) {
  /**
   * {@code publicKey} is required.
   *
   * @param publicKey the peer
   * @param endpoint the endpoint WireGuard currently sends to (follows roaming); null when none
   * @param lastHandshake time of the latest completed handshake; null when there was none
   * @param rxBytes bytes received from the peer
   * @param txBytes bytes sent to the peer
   */
  public PeerStats {
    Objects.requireNonNull(publicKey, "publicKey");
  }
}
