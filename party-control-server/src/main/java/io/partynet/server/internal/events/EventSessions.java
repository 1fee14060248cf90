package io.partynet.server.internal.events;

import io.partynet.protocol.internal.EventMessage;
import io.partynet.protocol.internal.ProtocolJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The event WebSockets of one {@link EventHub}: at most one open session per peer, which of them
 * are ready (their resume was answered), and the one sender thread that writes every frame, so
 * frames reach each session in the order the hub handed them over. Not thread-safe on its own:
 * every method but {@link #framesSent()} and {@link #sayGoingAway} runs under the hub's lock.
 */
final class EventSessions {
  private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "partynet-server-events");
    t.setDaemon(true);
    return t;
  });
  private final LongAdder framesSent = new LongAdder();
  /** Ready sessions (resume handled) by peer id. */
  private final Map<String, EventSink> ready = new HashMap<>();
  /** Every open session by peer id, ready or not. */
  private final Map<String, EventSink> open = new HashMap<>();

  /** A new WebSocket for {@code peerId}; an older one of the same peer is closed (one per peer). */
  void connected(String peerId, EventSink sink) {
    EventSink previous = open.put(peerId, sink);
    ready.remove(peerId);
    if (previous != null && previous != sink) {
      sender.execute(() -> previous.close(1008, "replaced by a newer connection of the same peer"));
    }
  }

  void disconnected(String peerId, EventSink sink) {
    if (open.get(peerId) == sink) {
      open.remove(peerId);
      ready.remove(peerId);
    }
  }

  /** Whether {@code sink} is the peer's open session (not one replaced since). */
  boolean isCurrent(String peerId, EventSink sink) {
    return open.get(peerId) == sink;
  }

  /** Sends the answer to the peer's resume; live frames follow it from now on. */
  void answerResume(String peerId, EventSink sink, List<String> frames) {
    ready.put(peerId, sink);
    framesSent.add(frames.size());
    sender.execute(() -> frames.forEach(sink::send));
  }

  /** Hands {@code frame} to the ready sessions of {@code peers}, in order with every other frame. */
  void sendNow(Set<String> peers, String frame) {
    List<EventSink> targets = new ArrayList<>();
    for (String p : peers) {
      EventSink s = ready.get(p);
      if (s != null) {
        targets.add(s);
      }
    }
    if (!targets.isEmpty()) {
      framesSent.add(targets.size());
      try {
        sender.execute(() -> targets.forEach(s -> s.send(frame)));
      } catch (RejectedExecutionException e) {
        // Shutting down: clients resume from the persisted sequence number after the restart.
      }
    }
  }

  int count() {
    return open.size();
  }

  /** Forgets every session; returns them for {@link #sayGoingAway}. */
  List<EventSink> takeAll() {
    List<EventSink> sinks = new ArrayList<>(open.values());
    open.clear();
    ready.clear();
    return sinks;
  }

  /** Sends "going away" to {@code sinks}, closes them and stops the sender (waiting up to {@code timeoutMillis}). */
  void sayGoingAway(List<EventSink> sinks, String reason, long timeoutMillis) {
    String frame = ProtocolJson.write(EventMessage.goingAway(reason));
    sender.execute(() -> sinks.forEach(s -> {
      s.send(frame);
      s.close(1001, reason);
    }));
    sender.shutdown();
    try {
      sender.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Event frames handed to WebSockets so far (live fan-out and resume answers). */
  long framesSent() {
    return framesSent.sum();
  }
}
