package io.partynet.wireguard.embedded.internal.forward;

import io.partynet.wireguard.embedded.internal.stack.tcp.TcpConnection;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The TCP connections one expose or forward carries: counted from the moment one is accepted
 * (while its other side is still being dialled) until its {@link StreamPump} ends, and all reset
 * when the expose or forward closes, including one whose pump starts after that. Thread-safe.
 */
final class CarriedConnections {
  private final String name;
  private final AtomicInteger active = new AtomicInteger();
  private final Set<StreamPump> pumps = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  CarriedConnections(String name) {
    this.name = name;
  }

  /** A connection was accepted; {@code dial} runs on its own thread and ends in {@link #carry} or {@link #failed}. */
  void accepted(Runnable dial) {
    active.incrementAndGet();
    Thread t = new Thread(dial, name + "-dial");
    t.setDaemon(true);
    t.start();
  }

  /** Dialling the other side failed; the accepted side has been reset. */
  void failed() {
    active.decrementAndGet();
  }

  /** Both sides are connected: pump between them until both directions end. */
  void carry(TcpConnection party, Socket local) {
    StreamPump pump = new StreamPump(party, local);
    pumps.add(pump);
    pump.start(name, () -> {
      pumps.remove(pump);
      active.decrementAndGet();
    });
    if (closed) {
      pump.abort();
    }
  }

  boolean isClosed() {
    return closed;
  }

  int active() {
    return active.get();
  }

  /** Resets every carried connection. */
  void close() {
    closed = true;
    pumps.forEach(StreamPump::abort);
  }
}
