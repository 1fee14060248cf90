package io.partynet.core.internal.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  @Test
  void aFullBucketAllowsTheBurstThenRefillsAtTheRate() {
    TokenBucket bucket = new TokenBucket(3, 2, now::get);
    assertTrue(bucket.tryTake());
    assertTrue(bucket.tryTake());
    assertTrue(bucket.tryTake());
    assertFalse(bucket.tryTake());
    now.addAndGet(499_000_000L);
    assertFalse(bucket.tryTake(), "2 per second: not yet a whole token after 499 ms");
    now.addAndGet(1_000_000L);
    assertTrue(bucket.tryTake());
    assertFalse(bucket.tryTake());
    now.addAndGet(60_000_000_000L);
    int taken = 0;
    while (bucket.tryTake()) {
      taken++;
    }
    assertEquals(3, taken, "a long pause refills no more than the capacity");
  }

  @Test
  void eachMemberAndPortHasItsOwnBucket() {
    RateLimiter limiter = new RateLimiter(1, 1, now::get);
    assertTrue(limiter.allow("10.77.0.2", 4445));
    assertFalse(limiter.allow("10.77.0.2", 4445));
    assertTrue(limiter.allow("10.77.0.2", 27015));
    assertTrue(limiter.allow("10.77.0.3", 4445));
  }

  /** Over any schedule, what a bucket lets through is at most capacity + rate x elapsed, and it never refuses while full. */
  @Property
  void admitsAtMostTheBurstPlusTheRate(@ForAll @IntRange(min = 1, max = 50) int capacity,
      @ForAll @IntRange(min = 1, max = 100) int perSecond,
      @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 300) Integer> gapsMillis) {
    long start = now.get();
    TokenBucket bucket = new TokenBucket(capacity, perSecond, now::get);
    long admitted = 0;
    for (int gap : gapsMillis) {
      now.addAndGet(gap * 1_000_000L);
      if (bucket.tryTake()) {
        admitted++;
      }
    }
    double elapsed = (now.get() - start) / 1e9;
    assertTrue(admitted <= capacity + perSecond * elapsed + 1e-9, admitted + " > " + capacity + " + " + perSecond
        + " x " + elapsed);
    assertTrue(admitted >= Math.min(gapsMillis.size(), capacity), "the first " + capacity + " always pass");
  }
}
