package io.partynet.remote.internal;

import io.partynet.protocol.internal.IceServersResponse;
import io.partynet.spi.Backoff;
import io.partynet.spi.IceServers;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the STUN/TURN servers from {@code GET /v1/ice-servers} fresh: fetches them once started,
 * again when 80% of the credential's remaining life has passed, and after a failure with backoff.
 * The credential lives in memory only. Thread-safe.
 */
final class IceServerRefresher {
  private static final Logger LOG = LoggerFactory.getLogger(IceServerRefresher.class);
  private static final Duration MIN_REFRESH = Duration.ofSeconds(1);

  private final Supplier<IceServersResponse> fetch;
  private final ScheduledExecutorService timer;
  private final Executor worker;
  private final Backoff backoff;
  private final Clock clock;
  private volatile IceServers current;
  private int failures;

  /** {@code fetch} blocks (an HTTP call), so it runs on {@code worker}; {@code timer} only waits. */
  IceServerRefresher(Supplier<IceServersResponse> fetch, ScheduledExecutorService timer, Executor worker,
      Backoff backoff, Clock clock) {
    this.fetch = fetch;
    this.timer = timer;
    this.worker = worker;
    this.backoff = backoff;
    this.clock = clock;
  }

  /**
   * Fetches on the caller's thread (a join right after start then already has the servers; a
   * failure only schedules a retry), then keeps them fresh in the background.
   */
  void start() {
    refresh();
  }

  Optional<IceServers> current() {
    return Optional.ofNullable(current);
  }

  private void schedule(Duration delay) {
    try {
      timer.schedule(() -> worker.execute(this::refresh), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // The client is closing: nothing left to refresh.
    }
  }

  private synchronized void refresh() {
    Duration next;
    try {
      IceServersResponse answer = fetch.get();
      current = new IceServers(answer.stun(), answer.turn().stream()
          .map(t -> new IceServers.TurnServer(t.address(), t.username(), t.password())).toList(), answer.expiresAt());
      failures = 0;
      Duration remaining = Duration.between(clock.instant(), answer.expiresAt());
      next = remaining.multipliedBy(8).dividedBy(10);
      next = next.compareTo(MIN_REFRESH) < 0 ? MIN_REFRESH : next;
      LOG.debug("ICE servers fetched: {} STUN, {} TURN, expiring {}", answer.stun().size(), answer.turn().size(),
          answer.expiresAt());
    } catch (RuntimeException e) {
      next = backoff.delay(++failures);
      LOG.info("could not fetch ICE servers from the control plane (retrying in {} ms): {}", next.toMillis(),
          e.getMessage());
    }
    schedule(next);
  }
}
