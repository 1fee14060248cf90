package io.partynet.control.local.internal;

import io.partynet.PartyConfig;
import io.partynet.spi.ControlPlane;
import io.partynet.spi.ControlPlaneProvider;
import java.time.Clock;

/** Provides the {@code local} control plane ({@code control.mode=local}). Thread-safe. */
public final class LocalControlPlaneProvider implements ControlPlaneProvider {
  @Override
  public String name() {
    return "local";
  }

  @Override
  public ControlPlane create(PartyConfig config, Clock clock) {
    return new LocalControlPlane(config, clock);
  }
}
