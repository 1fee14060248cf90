package io.partynet.server.bench;

import io.partynet.protocol.internal.EventMessage;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.protocol.internal.ResumeMessage;
import io.partynet.server.bench.LoadClient.SimPeer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulated peers' event streams: one JDK WebSocket per peer (non-blocking, so thousands fit
 * in one JVM), resumed at the party's sequence number. A fan-out is timed from the update request
 * leaving until the last of the other members' sockets has the {@code peer-updated} event, matched
 * by the endpoint port, which is unique per update.
 */
final class EventSockets {
  private static final int OPENING_AT_ONCE = 100;

  private record Pending(long sentNanos, AtomicInteger remaining, Latencies into) {}

  /** A few clients, so the sockets' reads are spread over a few selector threads. */
  private final List<HttpClient> clients = new ArrayList<>();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final List<WebSocket> open = new ArrayList<>();
  private final AtomicInteger nextPort = new AtomicInteger();

  EventSockets() {
    for (int i = 0; i < 4; i++) {
      clients.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30))
          .executor(Executors.newFixedThreadPool(2)).build());
    }
  }

  /** Opens one event stream per peer, each resumed at its party's sequence number, and waits until every one is ready. */
  void openAll(List<SimPeer> peers, List<String> partyOf, Map<String, Long> seqOf) throws Exception {
    CountDownLatch ready = new CountDownLatch(peers.size());
    Semaphore opening = new Semaphore(OPENING_AT_ONCE);
    List<CompletableFuture<WebSocket>> sockets = new ArrayList<>();
    for (int i = 0; i < peers.size(); i++) {
      SimPeer p = peers.get(i);
      String party = partyOf.get(i);
      opening.acquire();
      sockets.add(clients.get(i % clients.size()).newWebSocketBuilder()
          .header(Protocol.AUTHORIZATION, Protocol.BEARER + p.token())
          .buildAsync(URI.create(p.base().replace("http", "ws") + Protocol.EVENTS),
              new Listener(p.id(), Map.of(party, seqOf.get(party)), ready))
          .whenComplete((ws, e) -> opening.release()));
    }
    for (CompletableFuture<WebSocket> s : sockets) {
      open.add(s.get(2, TimeUnit.MINUTES));
    }
    if (!ready.await(2, TimeUnit.MINUTES)) {
      throw new IllegalStateException(ready.getCount() + " event streams did not resume");
    }
  }

  /** A fresh endpoint port whose update will be timed once {@code recipients} sockets have it. */
  int expect(String partyId, int recipients, Latencies into) {
    int port = 1 + nextPort.getAndIncrement() % 65_000;
    pending.put(partyId + ":" + port, new Pending(System.nanoTime(), new AtomicInteger(recipients), into));
    return port;
  }

  /** Whether the update with this port reached all its recipients. */
  boolean delivered(String partyId, int port) {
    return !pending.containsKey(partyId + ":" + port);
  }

  int undelivered() {
    return pending.size();
  }

  void forgetUndelivered() {
    pending.clear();
  }

  void close() {
    open.forEach(WebSocket::abort);
    clients.forEach(c -> ((java.util.concurrent.ExecutorService) c.executor().orElseThrow()).shutdownNow());
  }

  private final class Listener implements WebSocket.Listener {
    private final String self;
    private final Map<String, Long> resume;
    private final CountDownLatch ready;
    private final StringBuilder text = new StringBuilder();

    Listener(String self, Map<String, Long> resume, CountDownLatch ready) {
      this.self = self;
      this.resume = resume;
      this.ready = ready;
    }

    @Override
    public void onOpen(WebSocket ws) {
      ws.sendText(ProtocolJson.write(ResumeMessage.of(resume)), true);
      ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        onEvent(LoadClient.read(text.toString(), EventMessage.class));
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }

    private void onEvent(EventMessage e) {
      if (e.type().equals(Protocol.EVENT_READY)) {
        ready.countDown();
      } else if (e.type().equals(Protocol.EVENT_PEER_UPDATED) && e.peer() != null && e.peer().endpoint() != null
          && !e.peer().id().equals(self)) {
        String key = e.partyId() + ":" + e.peer().endpoint().port();
        Pending p = pending.get(key);
        if (p != null && p.remaining.decrementAndGet() == 0) {
          p.into.add(System.nanoTime() - p.sentNanos);
          pending.remove(key);
        }
      }
    }
  }
}
