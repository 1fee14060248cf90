package io.partynet.spi;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import java.util.List;
import java.util.Objects;

/**
 * One WireGuard peer as the SDK configures it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param publicKey the peer's public key
 * @param presharedKey optional extra symmetric key; null for none
 * @param endpoint where to send the peer's packets; null until known (WireGuard then learns it from the peer)
 * @param allowedIps addresses routed to the peer and accepted from it
 * @param persistentKeepaliveSeconds 0 (off) .. 65535
 */
public record PeerConfig(Key publicKey, Key presharedKey, Endpoint endpoint, List<IpPrefix> allowedIps,
    int persistentKeepaliveSeconds) {

  /**
   * Copies the allowed IPs and checks the keepalive.
   *
   * @param publicKey the peer's public key
   * @param presharedKey optional extra symmetric key; null for none
   * @param endpoint where to send the peer's packets; null until known (WireGuard then learns it from the peer)
   * @param allowedIps addresses routed to the peer and accepted from it
   * @param persistentKeepaliveSeconds 0 (off) .. 65535
   * @throws IllegalArgumentException when the keepalive is out of range
   */
  public PeerConfig {
    Objects.requireNonNull(publicKey, "publicKey");
    allowedIps = List.copyOf(allowedIps);
    if (persistentKeepaliveSeconds < 0 || persistentKeepaliveSeconds > 65535) {
      throw new IllegalArgumentException("persistent keepalive must be 0..65535: " + persistentKeepaliveSeconds);
    }
  }

  /**
   * A copy with another endpoint.
   *
   * @param newEndpoint where to send the peer's packets; null to let WireGuard learn it
   * @return the new configuration
   */
  public PeerConfig withEndpoint(Endpoint newEndpoint) {
    return new PeerConfig(publicKey, presharedKey, newEndpoint, allowedIps, persistentKeepaliveSeconds);
  }
}
