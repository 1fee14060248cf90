package io.partynet.core.internal.registry;

import io.partynet.IpPrefix;
import io.partynet.PartyConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * The registry's limits.
 *
 * @param subnet every party's virtual subnet; members get addresses from it
 * @param maxPartySize members per party at most
 * @param staleTimeout a member silent for longer than this is removed by {@link PartyRegistry#cleanup()}
 */
public record RegistrySettings(IpPrefix subnet, int maxPartySize, Duration staleTimeout) {
  public RegistrySettings {
    Objects.requireNonNull(subnet, "subnet");
    subnet = subnet.network();
    if (!subnet.isIpv4() || subnet.prefixLength() > 30) {
      throw new IllegalArgumentException("subnet must be IPv4 with room for members: " + subnet);
    }
    if (maxPartySize < 2) {
      throw new IllegalArgumentException("max party size must be at least 2: " + maxPartySize);
    }
    Objects.requireNonNull(staleTimeout, "staleTimeout");
  }

  public static RegistrySettings from(PartyConfig config) {
    return new RegistrySettings(config.virtualSubnet(), config.maxPartySize(), config.staleTimeout());
  }
}
