package io.partynet.core.internal.manager;

import io.partynet.spi.Signal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Signals that arrived before this member could hand them to its connection layer, held until it
 * can. A member that just joined hears from the others at once (their host candidates, their
 * relayed address), often before its own join has been entered on the worker or before the
 * joined event of the sender reached it; dropping those signals left two members on one LAN
 * without each other's LAN address until the next record update, seconds later.
 *
 * <p>Bounded: at most {@link #MAX_HELD} signals (the oldest goes first), none older than
 * {@link #MAX_AGE}; signals are hints, so one dropped here costs time, never correctness.
 * Not thread-safe: confined to the manager's worker.
 */
final class EarlySignals {
  static final int MAX_HELD = 64;
  static final Duration MAX_AGE = Duration.ofSeconds(30);

  private record Held(Signal signal, Instant at) {}

  private final Clock clock;
  private final ArrayDeque<Held> held = new ArrayDeque<>();

  EarlySignals(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Keeps {@code signal} for a later {@link #take}, dropping the oldest when full. */
  void hold(Signal signal) {
    Objects.requireNonNull(signal, "signal");
    dropExpired(clock.instant());
    if (held.size() == MAX_HELD) {
      held.removeFirst();
    }
    held.addLast(new Held(signal, clock.instant()));
  }

  /** Removes and returns, oldest first, the held signals {@code deliverable} accepts now. */
  List<Signal> take(Predicate<Signal> deliverable) {
    dropExpired(clock.instant());
    List<Signal> ready = new ArrayList<>();
    for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
      Signal signal = it.next().signal();
      if (deliverable.test(signal)) {
        ready.add(signal);
        it.remove();
      }
    }
    return ready;
  }

  int size() {
    return held.size();
  }

  private void dropExpired(Instant now) {
    while (!held.isEmpty() && Duration.between(held.peekFirst().at(), now).compareTo(MAX_AGE) > 0) {
      held.removeFirst();
    }
  }
}
