package io.partynet.wireguard.embedded.internal.forward;

import io.partynet.wireguard.embedded.internal.stack.tcp.TcpConnection;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The TCP connections one expose or forward carries: counted from the moment one is accepted
 * (while its other side is still being dialled, on a short-lived thread) until its pair in the
 * {@link StreamPump} ends; all reset when the expose or forward closes, including one dialled
 * after that. One pump thread carries them all. Thread-safe.
 */
final class CarriedConnections {
  private final String name;
  private final AtomicInteger active = new AtomicInteger();
  private final StreamPump pump;
  private volatile boolean closed;

  CarriedConnections(String name) throws IOException {
    this.name = name;
    this.pump = new StreamPump(name);
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
  void carry(TcpConnection party, SocketChannel local) {
    pump.add(party, local, active::decrementAndGet);
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
    pump.close();
  }
}
