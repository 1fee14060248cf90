package io.partynet.spi;

import io.partynet.PartyConfig;
import java.time.Clock;

/**
 * Makes a {@link ControlPlane}; registered in {@code META-INF/services/io.partynet.spi.ControlPlaneProvider}
 * and picked when its {@link #name()} equals the {@code control.mode} setting. Thread-safe.
 */
public interface ControlPlaneProvider {

  /** The {@code control.mode} value that selects this provider. */
  String name();

  ControlPlane create(PartyConfig config, Clock clock);
}
