package io.partynet.wireguard.jna.internal.discovery;

import io.partynet.core.internal.discovery.DiscoveryTap;
import io.partynet.core.internal.discovery.DiscoveryTapProvider;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link LinuxDiscoveryTap} on Linux; nothing elsewhere. Registered with {@link java.util.ServiceLoader}. */
public final class LinuxDiscoveryTapProvider implements DiscoveryTapProvider {
  private static final Logger LOG = LoggerFactory.getLogger(LinuxDiscoveryTapProvider.class);

  @Override
  public Optional<DiscoveryTap> open(String tunnelInterface) {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return Optional.empty();
    }
    try {
      return Optional.of(new LinuxDiscoveryTap(tunnelInterface));
    } catch (LinkageError e) {
      LOG.warn("LAN discovery on Linux needs JNA's native library: {}", e.toString());
      return Optional.empty();
    }
  }
}
