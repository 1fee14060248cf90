package io.partynet.wireguard.embedded.internal;

import io.partynet.PartyConfig;
import io.partynet.spi.NetworkBackend;
import io.partynet.spi.NetworkBackendProvider;
import io.partynet.spi.SettingKey;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Provides the {@code embedded} backend: always available (pure Java, no privileges), lowest
 * priority (100) so kernel and userspace-daemon backends win under {@code auto}. Reads the optional
 * setting {@code embedded.bind-address} (an IP literal) for the socket's local address.
 *
 * <p>Stateless and thread-safe.
 */
public final class EmbeddedBackendProvider implements NetworkBackendProvider {
  /** The local address of the backend's UDP socket; empty: every address (the wildcard). */
  public static final SettingKey<String> BIND_ADDRESS = SettingKey.ofAddress("embedded.bind-address");

  @Override
  public String name() {
    return EmbeddedBackend.NAME;
  }

  @Override
  public boolean isAvailable(PartyConfig config) {
    return true;
  }

  @Override
  public String unavailableReason(PartyConfig config) {
    return "the embedded backend is always available";
  }

  @Override
  public int priority() {
    return 100;
  }

  @Override
  public NetworkBackend create(PartyConfig config) {
    EmbeddedBackend.Builder builder = EmbeddedBackend.builder();
    // A bad value fails here, naming the setting and what it must look like.
    String bind = BIND_ADDRESS.from(config).strip();
    if (!bind.isEmpty()) {
      try {
        builder.bindAddress(InetAddress.getByName(bind)); // an IP literal: nothing is resolved
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("setting '" + BIND_ADDRESS.name() + "' must be an IP literal, got '"
            + bind + "'", e);
      }
    }
    return builder.build();
  }
}
