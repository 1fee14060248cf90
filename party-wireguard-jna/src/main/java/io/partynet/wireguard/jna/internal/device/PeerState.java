package io.partynet.wireguard.jna.internal.device;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.spi.PeerStats;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One peer as WireGuard reports it. {@code lastHandshake} is empty when no handshake completed
 * (WireGuard reports zero seconds and nanoseconds then).
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the preshared key.
 */
public record PeerState(
    Key publicKey,
    Optional<Key> presharedKey,
    Optional<Endpoint> endpoint,
    List<IpPrefix> allowedIps,
    int persistentKeepaliveSeconds,
    Optional<Instant> lastHandshake,
    long rxBytes,
    long txBytes,
    int protocolVersion) {

  public PeerState {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(presharedKey, "presharedKey");
    Objects.requireNonNull(endpoint, "endpoint");
    allowedIps = List.copyOf(allowedIps);
    Values.keepalive(persistentKeepaliveSeconds);
    Objects.requireNonNull(lastHandshake, "lastHandshake");
  }

  public PeerStats toStats() {
    return new PeerStats(publicKey, endpoint.orElse(null), lastHandshake.orElse(null), rxBytes, txBytes);
  }

  @Override
  public String toString() {
    return "PeerState[publicKey=" + publicKey.toBase64() + ", presharedKey="
        + presharedKey.map(k -> "(set)").orElse("(none)") + ", endpoint=" + endpoint
        + ", allowedIps=" + allowedIps + ", persistentKeepaliveSeconds=" + persistentKeepaliveSeconds
        + ", lastHandshake=" + lastHandshake + ", rxBytes=" + rxBytes + ", txBytes=" + txBytes
        + ", protocolVersion=" + protocolVersion + "]";
  }
}
