package io.partynet.core.internal.nat.turn;

import io.partynet.Endpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the credential of a {@link TurnRelay}'s allocation is rotated, make-before-break: in the
 * last fifth of its life (at most {@link #ROTATE_BEFORE_MAX} before its expiry), once the control
 * plane has handed out a newer one; and when the allocation it replaced is deleted
 * ({@link #RETIRE_AFTER} later, once the peers had time to move). Remembers the credential in use
 * and the rotation under way. An allocation thus never depends on a credential past its expiry,
 * whether or not the server checks it again on refreshes (coturn does not; RFC 8656 servers may).
 *
 * <p>Not thread-safe: the relay calls it under its own lock.
 */
final class CredentialRotation {
  private static final Logger LOG = LoggerFactory.getLogger(CredentialRotation.class);
  /** How long the old allocation keeps delivering after a rotation, while the peers move to the new one. */
  static final Duration RETIRE_AFTER = Duration.ofSeconds(15);
  /** A rotation starts this share of the credential's life before its expiry (at most {@link #ROTATE_BEFORE_MAX}). */
  private static final int ROTATE_BEFORE_DIVISOR = 5;
  private static final Duration ROTATE_BEFORE_MAX = Duration.ofMinutes(2);

  /** Asked when a rotation is due, so a credential handed out again is found. */
  private final Supplier<TurnLease> leases;
  /** The credential the current allocation was made with, and when it was asked for; null before the first. */
  private TurnLease inUse;
  private Instant allocatedAt;
  /** The allocation a rotation is making, or null. */
  private CompletableFuture<TurnAllocation> rotating;

  CredentialRotation(Supplier<TurnLease> leases) {
    this.leases = leases;
  }

  /** The current allocation was asked for at {@code at} with {@code lease}. */
  void allocatedWith(TurnLease lease, Instant at) {
    inUse = lease;
    allocatedAt = at;
  }

  /** The expiry of the credential in use (null: it does not expire). */
  Instant expiresAt() {
    return inUse == null ? null : inUse.expiresAt();
  }

  /**
   * A newer credential when a rotation is due at {@code now} and none is under way; empty while
   * the credential in use is young, does not expire, or the control plane has nothing newer yet.
   */
  Optional<TurnLease> newerLeaseIfDue(Instant now) {
    if (rotating != null || inUse == null || inUse.expiresAt() == null
        || now.isBefore(rotateAt(allocatedAt, inUse.expiresAt()))) {
      return Optional.empty();
    }
    TurnLease latest = leases.get();
    if (latest.expiresAt() == null || !latest.expiresAt().isAfter(inUse.expiresAt())) {
      return Optional.empty(); // the control plane has not handed out a newer credential yet: next call
    }
    return Optional.of(latest);
  }

  /** When a credential asked for at {@code allocatedAt} and expiring at {@code expiresAt} is rotated. */
  static Instant rotateAt(Instant allocatedAt, Instant expiresAt) {
    Duration life = Duration.between(allocatedAt, expiresAt);
    Duration before = life.isNegative() ? Duration.ZERO : life.dividedBy(ROTATE_BEFORE_DIVISOR);
    return expiresAt.minus(before.compareTo(ROTATE_BEFORE_MAX) > 0 ? ROTATE_BEFORE_MAX : before);
  }

  /** A rotation started making {@code allocation}. */
  void started(CompletableFuture<TurnAllocation> allocation) {
    rotating = allocation;
  }

  /** Whether {@code which} is the rotation under way; it no longer is after this call. */
  boolean finished(CompletableFuture<TurnAllocation> which) {
    if (rotating != which) {
      return false;
    }
    rotating = null;
    return true;
  }

  /** Deletes the allocation a rotation replaced {@link #RETIRE_AFTER} from now, off the calling thread. */
  static void retireLater(TurnClient replaced, Endpoint server) {
    CompletableFuture.delayedExecutor(RETIRE_AFTER.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
      replaced.close();
      LOG.info("retired the previous TURN allocation on {}", server);
    });
  }
}
