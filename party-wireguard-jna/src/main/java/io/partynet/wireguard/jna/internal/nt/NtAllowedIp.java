package io.partynet.wireguard.jna.internal.nt;

import io.partynet.IpPrefix;
import java.util.Objects;

/**
 * One {@code WIREGUARD_ALLOWED_IP}: a network routed to a peer, or with {@code remove} one to take
 * away from it (the {@code WIREGUARD_ALLOWED_IP_REMOVE} flag, honoured by wireguard-nt 1.0 and later).
 *
 * <p>Immutable and thread-safe.
 */
public record NtAllowedIp(IpPrefix prefix, boolean remove) {

  public NtAllowedIp {
    Objects.requireNonNull(prefix, "prefix");
  }

  public static NtAllowedIp of(IpPrefix prefix) {
    return new NtAllowedIp(prefix, false);
  }
}
