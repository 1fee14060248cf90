package io.partynet.spi;

import io.partynet.PartyConfig;
import io.partynet.PartyListener;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * What an application handed to {@link io.partynet.PartyManager.Builder}; null fields are to be
 * found from the configuration by the {@link PartyManagerFactory}. Immutable and thread-safe (the
 * components it holds are as thread-safe as they say).
 *
 * @param home the home directory, or null for the default
 * @param config the configuration, or null to load it from the settings database in {@code home}
 * @param controlPlane the control plane, or null to pick one by {@code control.mode}
 * @param statePersister where state is persisted, or null for {@code state.json} in the home
 * @param networkBackend the network backend, or null to pick one by {@code network.backend}
 * @param natDetector the NAT detector, or null for STUN with the configured servers
 * @param clock the clock for timestamps, heartbeats and timeouts
 * @param listeners listeners registered before the manager starts
 */
public record ManagerComponents(Path home, PartyConfig config, ControlPlane controlPlane,
    StatePersister statePersister, NetworkBackend networkBackend, NatDetector natDetector, Clock clock,
    List<PartyListener> listeners) {
  /**
   * Copies the listener list; {@code clock} is required.
   *
   * @param home the home directory, or null for the default
   * @param config the configuration, or null to load it from the settings database in {@code home}
   * @param controlPlane the control plane, or null to pick one by {@code control.mode}
   * @param statePersister where state is persisted, or null for {@code state.json} in the home
   * @param networkBackend the network backend, or null to pick one by {@code network.backend}
   * @param natDetector the NAT detector, or null for STUN with the configured servers
   * @param clock the clock for timestamps, heartbeats and timeouts
   * @param listeners listeners registered before the manager starts
   */
  public ManagerComponents {
    Objects.requireNonNull(clock, "clock");
    listeners = List.copyOf(listeners);
  }
}
