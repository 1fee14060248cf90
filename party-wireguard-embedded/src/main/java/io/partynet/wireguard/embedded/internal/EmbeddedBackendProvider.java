package io.partynet.wireguard.embedded.internal;

import io.partynet.PartyConfig;
import io.partynet.spi.NetworkBackend;
import io.partynet.spi.NetworkBackendProvider;
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
  public static final String BIND_ADDRESS_SETTING = "embedded.bind-address";

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
    String bind = config.setting(BIND_ADDRESS_SETTING, "");
    if (!bind.isBlank()) {
      if (!bind.matches("[0-9a-fA-F:.]+")) {
        throw new IllegalArgumentException(BIND_ADDRESS_SETTING + " must be an IP literal: " + bind);
      }
      try {
        builder.bindAddress(InetAddress.getByName(bind));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(BIND_ADDRESS_SETTING + " must be an IP literal: " + bind, e);
      }
    }
    return builder.build();
  }
}
