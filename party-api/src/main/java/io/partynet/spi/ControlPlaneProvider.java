package io.partynet.spi;

import io.partynet.PartyConfig;
import java.time.Clock;

/**
 * Makes a {@link ControlPlane}; registered in {@code META-INF/services/io.partynet.spi.ControlPlaneProvider}
 * and picked when its {@link #name()} equals the {@code control.mode} setting. Thread-safe.
 */
public interface ControlPlaneProvider {

  /**
   * The {@code control.mode} value that selects this provider.
   *
   * @return a short lower-case name such as {@code local} or {@code remote}
   */
  String name();

  /**
   * Makes the control plane for one manager.
   *
   * @param config the member's configuration (the provider reads its own settings from it)
   * @param clock the manager's clock, for timestamps and timeouts
   * @return a new control plane, owned and closed by the manager
   */
  ControlPlane create(PartyConfig config, Clock clock);
}
