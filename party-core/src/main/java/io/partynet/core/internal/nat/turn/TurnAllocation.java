package io.partynet.core.internal.nat.turn;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * A granted allocation. Immutable and thread-safe.
 *
 * @param relayed the relayed transport address peers send to
 * @param mapped our server-reflexive address as the TURN server saw it
 * @param lifetime how long the server keeps it without a refresh
 */
public record TurnAllocation(InetSocketAddress relayed, InetSocketAddress mapped, Duration lifetime) {
  public TurnAllocation {
    Objects.requireNonNull(relayed, "relayed");
    Objects.requireNonNull(lifetime, "lifetime");
  }
}
