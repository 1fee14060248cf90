package io.partynet.core.internal.manager;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.PartyConfig;
import io.partynet.control.local.internal.LocalControlPlane;
import io.partynet.spi.ControlPlane;
import io.partynet.testing.ControlPlaneSource;
import java.time.Clock;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * The real local control plane for the manager's package-level tests: every client made from a
 * {@link io.partynet.testing.ManagerHarness} config shares the harness's discovery file.
 * Thread-safe (stateless).
 */
final class RealLocalPlane implements ControlPlaneSource {

  @Override
  public String name() {
    return "local";
  }

  @Override
  public ControlPlane open(PartyConfig config, Clock clock) {
    return new LocalControlPlane(config, clock);
  }

  /** Fails unless {@code plane} was closed: a closed client (local or remote) refuses every call. */
  static void assertClosed(ControlPlane plane, String why) {
    try {
      plane.getParty("any-party").get(5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | CompletionException e) {
      assertTrue(String.valueOf(e.getCause().getMessage()).contains("closed"), () -> why + ": " + e.getCause());
      return;
    } catch (Exception e) {
      throw new AssertionError(why + ": " + e, e);
    }
    throw new AssertionError(why + ": the plane still answers");
  }
}
