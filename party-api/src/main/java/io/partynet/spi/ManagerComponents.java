package io.partynet.spi;

import io.partynet.PartyConfig;
import io.partynet.PartyListener;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * What an application handed to {@link io.partynet.PartyManager.Builder}; null fields are to be
 * found from the configuration by the {@link PartyManagerFactory}.
 */
public record ManagerComponents(Path home, PartyConfig config, ControlPlane controlPlane,
    StatePersister statePersister, NetworkBackend networkBackend, NatDetector natDetector, Clock clock,
    List<PartyListener> listeners) {
  public ManagerComponents {
    Objects.requireNonNull(clock, "clock");
    listeners = List.copyOf(listeners);
  }
}
