package io.partynet.server.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final AtomicLong nanos = new AtomicLong(1_000);

  @Test
  void burstThenSteadyRate() {
    RateLimiter limiter = new RateLimiter(2, 3, nanos::get, 100);
    assertTrue(limiter.tryAcquire("a"));
    assertTrue(limiter.tryAcquire("a"));
    assertTrue(limiter.tryAcquire("a"));
    assertFalse(limiter.tryAcquire("a"), "burst of 3 spent");
    assertTrue(limiter.tryAcquire("b"), "keys are independent");
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(499));
    assertFalse(limiter.tryAcquire("a"), "2/s refills one request after 500 ms");
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
    assertTrue(limiter.tryAcquire("a"));
    assertFalse(limiter.tryAcquire("a"));
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(60));
    for (int i = 0; i < 3; i++) {
      assertTrue(limiter.tryAcquire("a"), "refills up to the burst, no further");
    }
    assertFalse(limiter.tryAcquire("a"));
  }

  @Test
  void idleKeysAreForgottenWhenTheTableIsFull() {
    RateLimiter limiter = new RateLimiter(1, 1, nanos::get, 10);
    for (int i = 0; i < 10; i++) {
      limiter.tryAcquire("k" + i);
    }
    assertEquals(10, limiter.trackedKeys());
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(5));
    limiter.tryAcquire("new");
    assertEquals(1, limiter.trackedKeys(), "refilled buckets are idle and dropped");
  }
}
