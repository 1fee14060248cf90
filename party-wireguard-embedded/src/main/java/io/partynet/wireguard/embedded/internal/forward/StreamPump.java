package io.partynet.wireguard.embedded.internal.forward;

import io.partynet.wireguard.embedded.internal.stack.tcp.TcpConnection;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Joins party TCP connections and local sockets, all of one expose or forward on one thread: a
 * selector waits for the local sockets (non-blocking channels), and each party connection's
 * readiness callback queues its pair and wakes the selector. Per pair and direction one buffer;
 * a direction whose receiver is full stops reading until it drains (flow control end to end). A
 * FIN on either side becomes a half-close on the other, a reset on either side resets the other
 * (a local RST through SO_LINGER 0); when both directions ended both are closed and the pair's
 * {@code onClosed} runs. Thread-safe: {@link #add} and {@link #close} may be called from any thread.
 */
final class StreamPump implements AutoCloseable {
  private static final int BUFFER = 64 * 1024;
  private static final long SELECT_MILLIS = 1000;

  private final Selector selector;
  private final Queue<Pair> ready = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean closed;

  /** One party connection and its local socket. Used by the pump's thread only, except {@link #wake}. */
  private final class Pair {
    final TcpConnection party;
    final SocketChannel local;
    final Runnable onClosed;
    final ByteBuffer toLocal = ByteBuffer.allocate(BUFFER).flip();
    final ByteBuffer toParty = ByteBuffer.allocate(BUFFER).flip();
    final AtomicBoolean queued = new AtomicBoolean();
    SelectionKey key;
    boolean partyEnded;
    boolean localEnded;
    boolean finished;

    Pair(TcpConnection party, SocketChannel local, Runnable onClosed) {
      this.party = party;
      this.local = local;
      this.onClosed = onClosed;
    }

    /** From the party connection's readiness callback or another thread: must not block. */
    void wake() {
      if (queued.compareAndSet(false, true)) {
        ready.add(this);
        selector.wakeup();
      }
    }
  }

  StreamPump(String name) throws IOException {
    this.selector = Selector.open();
    this.thread = new Thread(this::run, name + "-pump");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Carries {@code party} <-> {@code local} (a connected channel) until both directions end. */
  void add(TcpConnection party, SocketChannel local, Runnable onClosed) {
    Pair pair = new Pair(party, local, onClosed);
    if (closed) {
      reset(pair);
      return;
    }
    party.onReadiness(pair::wake);
    pair.wake();
  }

  /** Resets every pair and stops the thread. */
  @Override
  public void close() {
    closed = true;
    selector.wakeup();
  }

  private void run() {
    try {
      while (!closed) {
        selector.select(SELECT_MILLIS);
        for (SelectionKey k : selector.selectedKeys()) {
          step((Pair) k.attachment());
        }
        selector.selectedKeys().clear();
        Pair p;
        while ((p = ready.poll()) != null) {
          p.queued.set(false);
          step(p);
        }
      }
    } catch (IOException | RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(StreamPump.class).warn("{} stopped: {}", thread.getName(), e.toString());
    } finally {
      for (SelectionKey k : selector.keys()) {
        reset((Pair) k.attachment());
      }
      Pair p;
      while ((p = ready.poll()) != null) {
        reset(p);
      }
      try {
        selector.close();
      } catch (IOException ignored) {
        // nothing registered any more
      }
    }
  }

  /** Moves what can move now in both directions; ends the pair when both are done. */
  private void step(Pair p) {
    if (p.finished) {
      return;
    }
    try {
      if (p.key == null) {
        p.local.configureBlocking(false);
        p.key = p.local.register(selector, 0, p);
      }
      partyToLocal(p);
      localToParty(p);
      if (p.partyEnded && p.localEnded && !p.toLocal.hasRemaining()) {
        finish(p);
        return;
      }
      int interest = 0;
      if (p.toLocal.hasRemaining()) {
        interest |= SelectionKey.OP_WRITE;
      }
      if (!p.localEnded && !p.toParty.hasRemaining()) {
        interest |= SelectionKey.OP_READ;
      }
      p.key.interestOps(interest);
    } catch (IOException | java.nio.channels.CancelledKeyException resetOrFailed) {
      reset(p);
    }
  }

  private void partyToLocal(Pair p) throws IOException {
    ByteBuffer b = p.toLocal;
    while (true) {
      if (b.hasRemaining()) {
        p.local.write(b);
        if (b.hasRemaining()) {
          return; // the local socket is full: OP_WRITE
        }
      }
      if (p.partyEnded) {
        return;
      }
      int n = p.party.tryRead(b.array(), 0, b.capacity());
      if (n == 0) {
        return; // the readiness callback says when more arrives
      }
      if (n < 0) {
        p.partyEnded = true;
        p.local.shutdownOutput();
        return;
      }
      b.position(0).limit(n);
    }
  }

  private void localToParty(Pair p) throws IOException {
    ByteBuffer b = p.toParty;
    while (true) {
      if (b.hasRemaining()) {
        int n = p.party.tryWrite(b.array(), b.position(), b.remaining());
        b.position(b.position() + n);
        if (b.hasRemaining()) {
          return; // the send buffer is full: the readiness callback says when ACKs free it
        }
      }
      if (p.localEnded) {
        return;
      }
      b.clear();
      int n = p.local.read(b);
      b.flip();
      if (n == 0) {
        return; // OP_READ
      }
      if (n < 0) {
        p.localEnded = true;
        p.party.shutdownOutput();
        return;
      }
    }
  }

  private void reset(Pair p) {
    if (p.finished) {
      return;
    }
    p.party.abort();
    try {
      p.local.setOption(StandardSocketOptions.SO_LINGER, 0);
    } catch (IOException | RuntimeException alreadyClosed) {
      // nothing left to reset
    }
    finish(p);
  }

  private void finish(Pair p) {
    p.finished = true;
    p.party.onReadiness(null);
    if (p.key != null) {
      p.key.cancel();
    }
    p.party.close();
    try {
      p.local.close();
    } catch (IOException ignored) {
      // closing a socket both sides are done with
    }
    p.onClosed.run();
  }
}
