package io.partynet.core.internal.nat.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** When a relay's credential is rotated: the timing rule, and the bookkeeping around one rotation. */
class CredentialRotationTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Property(tries = 300)
  void aRotationStartsInTheLastFifthOfTheLifeAndAtMostTwoMinutesBeforeExpiry(
      @ForAll @LongRange(min = 0, max = 86_400_000) long lifeMillis) {
    Instant expiry = T0.plusMillis(lifeMillis);
    Instant at = CredentialRotation.rotateAt(T0, expiry);
    Duration before = Duration.between(at, expiry);
    assertFalse(at.isBefore(T0), "not before the credential was asked for");
    assertFalse(before.isNegative(), "not after the expiry");
    assertTrue(before.compareTo(Duration.ofMinutes(2)) <= 0, "at most two minutes before: " + before);
    assertEquals(Duration.ofMillis(lifeMillis).dividedBy(5).compareTo(Duration.ofMinutes(2)) >= 0
        ? Duration.ofMinutes(2) : Duration.ofMillis(lifeMillis).dividedBy(5), before);
  }

  @Test
  void anExpiredCredentialIsDueAtOnce() {
    assertEquals(T0, CredentialRotation.rotateAt(T0.plusSeconds(10), T0));
  }

  @Test
  void aNewerCredentialIsTakenOnlyWhenDueAndOneRotationRunsAtATime() {
    AtomicReference<TurnLease> handedOut = new AtomicReference<>(lease("first", T0.plusSeconds(60)));
    CredentialRotation rotation = new CredentialRotation(handedOut::get);
    assertEquals(Optional.empty(), rotation.newerLeaseIfDue(T0), "nothing allocated yet");
    rotation.allocatedWith(handedOut.get(), T0);

    assertEquals(Optional.empty(), rotation.newerLeaseIfDue(T0.plusSeconds(47)), "young");
    assertEquals(Optional.empty(), rotation.newerLeaseIfDue(T0.plusSeconds(48)), "due, but nothing newer");
    TurnLease second = lease("second", T0.plusSeconds(120));
    handedOut.set(second);
    assertEquals(Optional.of(second), rotation.newerLeaseIfDue(T0.plusSeconds(48)));

    CompletableFuture<TurnAllocation> making = new CompletableFuture<>();
    rotation.started(making);
    assertEquals(Optional.empty(), rotation.newerLeaseIfDue(T0.plusSeconds(50)), "one rotation at a time");
    assertFalse(rotation.finished(new CompletableFuture<>()), "not the rotation under way");
    assertTrue(rotation.finished(making));
    assertEquals(Optional.of(second), rotation.newerLeaseIfDue(T0.plusSeconds(50)), "a failed rotation is retried");
  }

  @Test
  void aCredentialWithoutExpiryIsNeverRotated() {
    CredentialRotation rotation = new CredentialRotation(() -> lease("newer", T0.plusSeconds(3600)));
    rotation.allocatedWith(lease("static", null), T0);
    assertEquals(Optional.empty(), rotation.newerLeaseIfDue(T0.plus(Duration.ofDays(365))));
  }

  private static TurnLease lease(String password, Instant expiresAt) {
    return new TurnLease(new TurnCredentials("user", password), expiresAt);
  }
}
