package io.partynet.testing;

import io.partynet.PartyConfig;
import io.partynet.spi.ControlPlane;
import java.time.Clock;

/**
 * Where a {@link ManagerHarness} gets each member's control plane: one new client per member,
 * all of them talking to the same plane (one discovery file, one server). Implementations are
 * thread-safe.
 */
public interface ControlPlaneSource {

  /** {@code "local"}, {@code "remote"}: what status() reports and what test names show. */
  String name();

  /** A new, not yet started client for the member configured by {@code config}. */
  ControlPlane open(PartyConfig config, Clock clock);
}
