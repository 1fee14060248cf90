package io.partynet.core.internal.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partynet.PartyException;
import io.partynet.PartyInfo;
import io.partynet.spi.ControlPlane;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AbandonedJoinsTest {
  private final ManagerWorker worker = new ManagerWorker("test-worker", Duration.ofSeconds(10));
  /** Party ids of the leave calls the control plane received, in order. */
  private final List<String> leaves = new CopyOnWriteArrayList<>();
  private final AbandonedJoins joins = new AbandonedJoins(leaveRecordingPlane(), "bob", Duration.ofSeconds(5));

  @AfterEach
  void close() {
    worker.close();
  }

  private ControlPlane leaveRecordingPlane() {
    return (ControlPlane) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ControlPlane.class},
        (proxy, method, args) -> {
          if (!method.getName().equals("leaveParty")) {
            throw new UnsupportedOperationException(method.getName());
          }
          leaves.add((String) args[0]);
          return CompletableFuture.completedFuture(null);
        });
  }

  /** Runs {@code work} on the worker and waits until it and everything it queued before has run. */
  private void onWorker(Runnable work) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    worker.enqueue("test step", () -> {
      work.run();
      done.complete(null);
    });
    done.get(5, TimeUnit.SECONDS);
  }

  private void drainWorker() throws Exception {
    onWorker(() -> { });
  }

  @Test
  void nothingIsRemovedWhileTheJoinCallMayStillRetry() throws Exception {
    CompletableFuture<PartyInfo> call = new CompletableFuture<>();
    onWorker(() -> joins.abandon("P1", call, worker));

    // Heartbeats while the client still retries the join: a leave now could overtake a retried join.
    onWorker(() -> joins.retry(worker));
    onWorker(() -> joins.retry(worker));
    assertEquals(List.of(), leaves);

    call.completeExceptionally(PartyException.of(PartyException.Reason.TIMEOUT, "join timed out"));
    drainWorker();
    drainWorker();
    assertEquals(List.of("P1"), leaves, "removed once the call ended");

    onWorker(() -> joins.retry(worker));
    drainWorker();
    assertEquals(List.of("P1"), leaves, "a confirmed removal is not sent again");
  }

  @Test
  void aRetriedJoinCancelsTheRemoval() throws Exception {
    CompletableFuture<PartyInfo> call = new CompletableFuture<>();
    onWorker(() -> joins.abandon("P1", call, worker));
    onWorker(() -> joins.retried("P1"));

    call.completeExceptionally(PartyException.of(PartyException.Reason.TIMEOUT, "join timed out"));
    drainWorker();
    onWorker(() -> joins.retry(worker));
    drainWorker();
    assertEquals(List.of(), leaves);
  }
}
