package io.partynet.it;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.partynet.PartyException;
import io.partynet.PartyInfo;
import io.partynet.testing.ManagerHarness;
import io.partynet.testing.ManualClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every manager contract shares: a fresh real plane ({@link #newPlane()}) and a
 * {@link ManagerHarness} on it per test, both closed afterwards, and small helpers.
 */
abstract class PlaneContract {
  /** Generous: events of the local plane arrive within its 200 ms poll, monitoring runs every second. */
  static final Duration WAIT = Duration.ofSeconds(10);

  PlaneUnderTest plane;
  ManagerHarness members;
  ManualClock clock;

  /** The plane this run of the contract is about. */
  abstract PlaneUnderTest newPlane();

  @BeforeEach
  void startPlane() {
    plane = newPlane();
    members = ManagerHarness.on(plane);
    plane.attach(members);
    clock = members.clock();
  }

  @AfterEach
  void stopPlane() throws Exception {
    try {
      members.closeAll();
    } finally {
      plane.close();
    }
  }

  PartyInfo planeParty(String partyId) {
    return plane.party(partyId).orElseThrow(() -> new AssertionError("the plane has no party " + partyId));
  }

  static <T> T get(Future<T> future) throws Exception {
    return future.get(20, TimeUnit.SECONDS);
  }

  static PartyException failure(CompletableFuture<?> future) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(20, TimeUnit.SECONDS));
    return assertInstanceOf(PartyException.class, e.getCause(), () -> "not a PartyException: " + e.getCause());
  }
}
