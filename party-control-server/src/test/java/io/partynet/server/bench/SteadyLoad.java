package io.partynet.server.bench;

import io.partynet.Endpoint;
import io.partynet.protocol.internal.Protocol;
import io.partynet.server.bench.LoadClient.SimPeer;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The steady state, open loop (requests leave on schedule whether or not earlier ones
 * were answered, so a slow server shows as latency): every member heartbeats once per
 * {@link #HEARTBEAT_PERIOD}, spread evenly; joins arrive at {@link #JOINS_PER_SECOND} (roaming
 * peers join a random party and leave it again a second later); members move their endpoint at
 * {@link #UPDATES_PER_SECOND}, and each update is timed until every other member's socket has it.
 */
final class SteadyLoad {
  static final Duration HEARTBEAT_PERIOD = Duration.ofSeconds(15);
  static final int JOINS_PER_SECOND = 100;
  static final int UPDATES_PER_SECOND = 20;
  private static final Duration STAY = Duration.ofSeconds(1);
  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  final Latencies joins = new Latencies();
  final Latencies heartbeats = new Latencies();
  final Latencies fanouts = new Latencies();
  final AtomicInteger errors = new AtomicInteger();
  final AtomicReference<String> firstError = new AtomicReference<>();
  /** Joins due while every roaming peer was still in a party (the generator fell behind). */
  int joinsSkipped;
  int updatesSent;

  private final LoadClient client;
  private final EventSockets sockets;
  private final List<SimPeer> members;
  private final List<String> partyIds;
  private final int partySize;
  private final Queue<SimPeer> idleRoamers;
  private final Executor afterStay = CompletableFuture.delayedExecutor(STAY.toMillis(), TimeUnit.MILLISECONDS);
  private final Random random = new Random(14);

  /** {@code members.get(i)} is in party {@code partyIds.get(i / partySize)}. */
  SteadyLoad(LoadClient client, EventSockets sockets, List<SimPeer> members, List<String> partyIds, int partySize,
      List<SimPeer> roamers) {
    this.client = client;
    this.sockets = sockets;
    this.members = members;
    this.partyIds = partyIds;
    this.partySize = partySize;
    this.idleRoamers = new ConcurrentLinkedQueue<>(roamers);
  }

  /** Runs the load for {@code duration}, then waits (bounded) for every answer and event. */
  void run(Duration duration) throws Exception {
    ConcurrentLinkedQueue<CompletableFuture<?>> outstanding = new ConcurrentLinkedQueue<>();
    double heartbeatsPerNano = members.size() / (double) HEARTBEAT_PERIOD.toNanos();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long heartbeatsSent = 0;
    long joinsDue = 0;
    for (long now = start; now < end; now = System.nanoTime()) {
      long elapsed = now - start;
      for (; heartbeatsSent < (long) (elapsed * heartbeatsPerNano); heartbeatsSent++) {
        outstanding.add(heartbeat((int) (heartbeatsSent % members.size())));
      }
      for (; joinsDue < elapsed * JOINS_PER_SECOND / 1_000_000_000L; joinsDue++) {
        SimPeer roamer = idleRoamers.poll();
        if (roamer == null) {
          joinsSkipped++;
        } else {
          outstanding.add(roam(roamer, partyIds.get(random.nextInt(partyIds.size()))));
        }
      }
      for (; updatesSent < elapsed * UPDATES_PER_SECOND / 1_000_000_000L; updatesSent++) {
        outstanding.add(update(updatesSent));
      }
      outstanding.removeIf(CompletableFuture::isDone);
      TimeUnit.NANOSECONDS.sleep(Math.max(0, TICK_NANOS - (System.nanoTime() - now)));
    }
    CompletableFuture.allOf(outstanding.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (sockets.undelivered() > 0 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(10);
    }
  }

  private CompletableFuture<?> heartbeat(int index) {
    SimPeer member = members.get(index);
    String party = partyIds.get(index / partySize);
    long t0 = System.nanoTime();
    return counted(client.call(member, "POST", Protocol.heartbeat(party, member.id()), null)
        .thenRun(() -> heartbeats.add(System.nanoTime() - t0)));
  }

  private CompletableFuture<?> roam(SimPeer roamer, String party) {
    long t0 = System.nanoTime();
    return counted(client.call(roamer, "POST", Protocol.members(party), roamer.member())
        .thenRun(() -> joins.add(System.nanoTime() - t0))
        .thenComposeAsync(v -> client.call(roamer, "DELETE", Protocol.member(party, roamer.id()), null), afterStay))
        .whenComplete((ok, e) -> idleRoamers.add(roamer));
  }

  private CompletableFuture<?> update(int n) {
    int partyIndex = n % partyIds.size();
    SimPeer mover = members.get(partyIndex * partySize + 1 + (n / partyIds.size()) % (partySize - 1));
    String party = partyIds.get(partyIndex);
    int port = sockets.expect(party, partySize - 1, fanouts);
    return counted(client.call(mover, "PUT", Protocol.member(party, mover.id()),
        mover.member().withEndpoint(new Endpoint("198.51.100.1", port))));
  }

  private CompletableFuture<?> counted(CompletableFuture<?> call) {
    return call.exceptionally(e -> {
      errors.incrementAndGet();
      firstError.compareAndSet(null, String.valueOf(e.getCause() == null ? e : e.getCause()));
      return null;
    });
  }
}
