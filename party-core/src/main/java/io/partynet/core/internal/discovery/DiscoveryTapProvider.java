package io.partynet.core.internal.discovery;

import java.io.IOException;
import java.util.Optional;

/**
 * Makes {@link DiscoveryTap}s for backends that give the operating system a real interface
 * (netlink, uapi, wireguard-nt). Found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.partynet.core.internal.discovery.DiscoveryTapProvider}).
 */
public interface DiscoveryTapProvider {
  /**
   * A tap for this host, or empty when this platform or process cannot capture (wrong OS, no
   * privileges), with the reason logged by the provider.
   *
   * @param tunnelInterface the WireGuard interface's name (its traffic is never captured)
   */
  Optional<DiscoveryTap> open(String tunnelInterface) throws IOException;
}
