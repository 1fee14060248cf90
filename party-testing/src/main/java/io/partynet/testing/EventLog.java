package io.partynet.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recording behind {@link PartyEventRecorder} and {@link ControlPlaneEventRecorder}: every
 * callback as one short line, in arrival order, with the thread it ran on. Two ways to read it:
 * {@link #await} looks for a line anywhere (for a test that checks one effect), and
 * {@link #expectNext} takes lines strictly in order, after which {@link #assertExhausted} proves
 * that nothing else arrived (as OkHttp's WebSocketRecorder does). Thread-safe.
 */
public class EventLog {
  /** How long {@link #await(String)} and {@link #expectNext(String)} wait by default. */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);

  private final List<String> events = new ArrayList<>();
  private final Set<String> threads = ConcurrentHashMap.newKeySet();
  private int taken;

  protected final synchronized void record(String event) {
    threads.add(Thread.currentThread().getName());
    events.add(event);
    notifyAll();
  }

  /** Every line recorded so far, oldest first. */
  public synchronized List<String> events() {
    return List.copyOf(events);
  }

  /** How many lines recorded so far match {@code matching}. */
  public long count(java.util.function.Predicate<String> matching) {
    return events().stream().filter(matching).count();
  }

  /** The names of the threads the callbacks ran on. */
  public Set<String> threads() {
    return Set.copyOf(threads);
  }

  /** Forgets every line recorded so far. */
  public synchronized void clear() {
    events.clear();
    taken = 0;
  }

  /** Waits until a line equal to {@code event} was recorded (anywhere, taken or not). */
  public void await(String event, Duration timeout) {
    Eventually.until(timeout, () -> events().contains(event), () -> "event '" + event + "' in " + events());
  }

  public void await(String event) {
    await(event, DEFAULT_WAIT);
  }

  /** Waits for the next line not yet taken and returns it; fails when none arrives in {@code timeout}. */
  public synchronized String next(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (taken == events.size()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        fail("no event within " + timeout + " after " + events);
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted while waiting for an event after " + events);
      }
    }
    return events.get(taken++);
  }

  /** Takes the next line and checks that it is {@code event}. */
  public void expectNext(String event) {
    String next = next(DEFAULT_WAIT);
    assertEquals(event, next, () -> "events so far: " + events());
  }

  /** Fails when a line arrived that no {@link #expectNext} took. */
  public synchronized void assertExhausted() {
    if (taken != events.size()) {
      fail("unexpected events " + events.subList(taken, events.size()) + " after " + events.subList(0, taken));
    }
  }
}
