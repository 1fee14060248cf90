package io.partynet.wireguard.jna.internal.netlink;

import io.partynet.PartyConfig;
import io.partynet.spi.NetworkBackend;
import io.partynet.spi.NetworkBackendProvider;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/**
 * Provides the {@code netlink} backend (priority 300) where Linux has the WireGuard generic
 * netlink family. Thread-safe and stateless.
 */
public final class NetlinkBackendProvider implements NetworkBackendProvider {
  public static final String NAME = "netlink";
  public static final int PRIORITY = 300;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean isAvailable(PartyConfig config) {
    return unavailableReason(config).isEmpty();
  }

  @Override
  public String unavailableReason(PartyConfig config) {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return "the netlink backend needs Linux; use wireguard-nt on Windows or uapi elsewhere";
    }
    try (GenericNetlink genl = GenericNetlink.open(Duration.ofSeconds(2))) {
      return genl.familyId(WgMessages.FAMILY).isPresent() ? "" : NetlinkBackend.MISSING_MODULE;
    } catch (IOException | LinkageError e) {
      return "cannot open a generic netlink socket (" + e.getMessage() + "); use network.backend=uapi";
    }
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  @Override
  public NetworkBackend create(PartyConfig config) {
    return new NetlinkBackend();
  }
}
