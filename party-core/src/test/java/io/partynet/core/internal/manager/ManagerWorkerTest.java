package io.partynet.core.internal.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.BackendUnavailableException;
import io.partynet.PartyException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ManagerWorkerTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private final ManagerWorker worker = new ManagerWorker("test-worker", Duration.ofSeconds(10));

  @AfterEach
  void close() {
    worker.close();
  }

  private static PartyException failure(CompletableFuture<?> future) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
    return assertInstanceOf(PartyException.class, e.getCause());
  }

  @Test
  void operationsAndEventsRunInArrivalOrderOnOneThread() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    CompletableFuture<String> first = worker.submitAsync("first", () -> {
      threads.add(Thread.currentThread().getName());
      order.add("operation 1");
      return CompletableFuture.completedFuture("one");
    });
    worker.events().execute(() -> {
      threads.add(Thread.currentThread().getName());
      order.add("event");
    });
    worker.enqueue("tick", () -> {
      threads.add(Thread.currentThread().getName());
      order.add("tick");
    });
    CompletableFuture<String> second = worker.submitAsync("second", () -> {
      threads.add(Thread.currentThread().getName());
      order.add("operation 2");
      return CompletableFuture.completedFuture("two");
    });
    assertEquals("one", first.get(10, TimeUnit.SECONDS));
    assertEquals("two", second.get(10, TimeUnit.SECONDS));
    assertEquals(List.of("operation 1", "event", "tick", "operation 2"), order);
    assertEquals(Set.of("test-worker"), threads);
  }

  @Test
  void failuresBecomeTypedPartyExceptions() {
    PartyException refused = failure(worker.<Void>submitAsync("bringing the interface up", () -> {
      throw new IOException("Operation not permitted");
    }));
    assertInstanceOf(BackendUnavailableException.class, refused);
    assertTrue(refused.getMessage().contains("Operation not permitted"), refused.getMessage());

    PartyException typed = failure(worker.<Void>submitAsync("joining", () -> {
      throw PartyException.of(PartyException.Reason.PARTY_FULL, "full");
    }));
    assertEquals(PartyException.Reason.PARTY_FULL, typed.reason());
  }

  @Test
  void aFailingEventDoesNotStopTheNextOne() throws Exception {
    CountDownLatch next = new CountDownLatch(1);
    worker.events().execute(() -> {
      throw new IllegalStateException("a buggy event");
    });
    worker.events().execute(next::countDown);
    assertTrue(next.await(10, TimeUnit.SECONDS));
  }

  @Test
  void anOperationThatOutlivesItsBoundFailsWithTimeout() throws Exception {
    ManagerWorker slow = new ManagerWorker("slow-worker", Duration.ofMillis(50));
    CountDownLatch release = new CountDownLatch(1);
    try {
      PartyException e = failure(slow.submitAsync("waiting", () -> {
        try {
          return CompletableFuture.completedFuture(release.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return CompletableFuture.completedFuture(false);
        }
      }));
      assertEquals(PartyException.Reason.TIMEOUT, e.reason());
    } finally {
      release.countDown();
      slow.close();
    }
  }

  @Test
  void afterCloseOperationsFailAndEventsAreDropped() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    worker.enqueue("before", () -> ran.add("before"));
    worker.close(WAIT);
    assertEquals(List.of("before"), ran, "queued work finishes on close");
    worker.enqueue("after", () -> ran.add("after"));
    worker.events().execute(() -> ran.add("event after"));
    PartyException closed = failure(worker.submitAsync("status", () -> CompletableFuture.completedFuture("never")));
    assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    assertEquals(List.of("before"), ran, "work arriving after close is refused at once, not queued");
  }

  @Test
  void workQueuedBehindAnUnansweredCallRunsAtOnceAndTheCallEndsWithTimeout() throws Exception {
    CompletableFuture<String> neverAnswered = new CompletableFuture<>();
    CompletableFuture<String> handled = worker.submitAsync("heartbeat", () ->
        worker.afterCall("heartbeat", neverAnswered, Duration.ofMillis(200), (value, error) -> {
          assertEquals("test-worker", Thread.currentThread().getName(), "the answer is handled in turn");
          return error == null ? value : error.reason().name();
        }));
    CountDownLatch next = new CountDownLatch(1);
    worker.enqueue("status", next::countDown);
    assertTrue(next.await(10, TimeUnit.SECONDS), "work behind the call did not wait for its answer");
    assertEquals("TIMEOUT", handled.get(10, TimeUnit.SECONDS));
  }

  @Test
  void anAnswerArrivingAfterCloseFailsTheContinuationsFutureInsteadOfHangingIt() {
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletableFuture<String> handled = worker.afterCall("joining", call, WAIT, (value, error) -> value);
    worker.close(WAIT);
    call.complete("late");
    PartyException closed = failure(handled);
    assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
  }
}
