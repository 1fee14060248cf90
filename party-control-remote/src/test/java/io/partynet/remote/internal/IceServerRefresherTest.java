package io.partynet.remote.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.PartyException;
import io.partynet.protocol.internal.IceServersResponse;
import io.partynet.spi.IceServers;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fetch at start, again before expiry, again with backoff after a failure; nothing known before. */
class IceServerRefresherTest {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final AtomicInteger calls = new AtomicInteger();
  private final Backoff backoff = new Backoff(Duration.ofMillis(20), Duration.ofMillis(50), new Random(1));

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  /** A credential that expires in one second: refreshed every second (the floor), three times in a few. */
  private IceServersResponse answer() {
    return answer(Duration.ofSeconds(1));
  }

  private IceServersResponse answer(Duration lifetime) {
    int n = calls.incrementAndGet();
    return new IceServersResponse(List.of("stun.example.net:3478"),
        List.of(new IceServersResponse.TurnServer("turn.example.net:3478", "u" + n, "p" + n)),
        Clock.systemUTC().instant().plus(lifetime));
  }

  @Test
  void fetchesAtStartAndAgainBeforeEveryExpiry() throws Exception {
    CountDownLatch thirdFetch = new CountDownLatch(3);
    IceServerRefresher refresher = new IceServerRefresher(() -> {
      IceServersResponse a = answer();
      thirdFetch.countDown();
      return a;
    }, timer, Runnable::run, backoff, Clock.systemUTC());
    assertTrue(refresher.current().isEmpty(), "nothing before the first fetch");
    refresher.start();
    assertTrue(thirdFetch.await(10, TimeUnit.SECONDS), "three fetches: " + calls.get());
    IceServers now = refresher.current().orElseThrow();
    assertEquals(List.of("stun.example.net:3478"), now.stunServers());
    assertTrue(now.turnServers().get(0).username().matches("u[3-9]"), now.toString());
    assertFalse(now.toString().contains("p" + calls.get()), "password hidden: " + now);
  }

  @Test
  void retriesWithBackoffAfterAFailure() throws Exception {
    CountDownLatch fetched = new CountDownLatch(1);
    AtomicInteger failures = new AtomicInteger();
    IceServerRefresher refresher = new IceServerRefresher(() -> {
      if (failures.incrementAndGet() <= 3) {
        throw new PartyException(PartyException.Reason.CONTROL_PLANE_UNAVAILABLE, "server unreachable");
      }
      IceServersResponse a = answer(Duration.ofHours(1));
      fetched.countDown();
      return a;
    }, timer, Runnable::run, backoff, Clock.systemUTC());
    refresher.start();
    assertTrue(fetched.await(10, TimeUnit.SECONDS), "fetched after failures: " + failures.get());
    assertEquals(4, failures.get());
    assertEquals("u1", refresher.current().orElseThrow().turnServers().get(0).username());
  }
}
