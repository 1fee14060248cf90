package io.partynet.remote.internal;

import io.partynet.PartyConfig;
import io.partynet.spi.ControlPlane;
import io.partynet.spi.ControlPlaneProvider;
import java.time.Clock;

/**
 * Provides the {@code remote} control plane ({@code control.mode=remote}); the server URL comes
 * from {@link PartyConfig#controlServer()}. Stateless and thread-safe.
 */
public final class RemoteControlPlaneProvider implements ControlPlaneProvider {

  @Override
  public String name() {
    return "remote";
  }

  @Override
  public ControlPlane create(PartyConfig config, Clock clock) {
    return RemoteControlPlaneClient.fromConfig(config);
  }
}
