package io.partynet.core.internal.manager;

import io.partynet.Key;
import io.partynet.PartyConfig;
import io.partynet.spi.Backoff;
import io.partynet.spi.ControlPlane;
import java.time.Clock;
import java.util.Objects;

/**
 * The parts of one manager that its pieces share: the membership, entry, resume and heartbeat
 * pieces read the settings, control plane, worker and local endpoint from here, and every
 * party's {@link ConnectionLayer} is built from it (the private key goes to the data plane only).
 * One per manager, built once by {@link DefaultPartyManager}.
 */
record ManagerParts(PartyConfig config, DataPlane dataPlane, ControlPlane controlPlane, ManagerWorker worker,
    LocalEndpoint local, Key privateKey, Backoff backoff, Clock clock) {
  ManagerParts {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(dataPlane, "dataPlane");
    Objects.requireNonNull(controlPlane, "controlPlane");
    Objects.requireNonNull(worker, "worker");
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(clock, "clock");
  }
}
