package io.partynet.remote.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.spi.Backoff;
import io.partynet.PartyException;
import io.partynet.protocol.internal.IceServersResponse;
import io.partynet.spi.IceServers;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
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
  private final Backoff backoff = new Backoff(Duration.ofMillis(20), Duration.ofMillis(50), Backoff.Jitter.EQUAL, new Random(1)::nextDouble);

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

  /** Bounded polling (10 s) until the refresher holds the credential named {@code username}. */
  private static IceServers awaitUsername(IceServerRefresher refresher, String username) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      var now = refresher.current();
      if (now.isPresent() && now.get().turnServers().get(0).username().equals(username)) {
        return now.get();
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no credential " + username + " within 10 s; holding " + refresher.current());
  }

  @Test
  void fetchesAtStartAndAgainBeforeEveryExpiry() throws Exception {
    IceServerRefresher refresher = new IceServerRefresher(this::answer, timer, Runnable::run, backoff,
        Clock.systemUTC());
    assertTrue(refresher.current().isEmpty(), "nothing before the first fetch");
    refresher.start();
    IceServers now = awaitUsername(refresher, "u3");
    assertEquals(List.of("stun.example.net:3478"), now.stunServers());
    assertFalse(now.toString().contains("p3"), "password hidden: " + now);
  }

  @Test
  void theFirstFetchIsDoneWhenStartReturns() {
    IceServerRefresher refresher = new IceServerRefresher(() -> answer(Duration.ofHours(1)), timer, Runnable::run,
        backoff, Clock.systemUTC());
    refresher.start();
    assertEquals("u1", refresher.current().orElseThrow().turnServers().get(0).username(),
        "a join right after start must find the servers");
  }

  @Test
  void retriesWithBackoffAfterAFailure() throws Exception {
    AtomicInteger failures = new AtomicInteger();
    IceServerRefresher refresher = new IceServerRefresher(() -> {
      if (failures.incrementAndGet() <= 3) {
        throw PartyException.of(PartyException.Reason.CONTROL_PLANE_UNAVAILABLE, "server unreachable");
      }
      return answer(Duration.ofHours(1));
    }, timer, Runnable::run, backoff, Clock.systemUTC());
    refresher.start();
    awaitUsername(refresher, "u1");
    assertEquals(4, failures.get(), "three failures, then the fetch that worked (the next is an hour away)");
  }
}
