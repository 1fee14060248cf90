package io.partynet.core.internal.socks;

import io.partynet.SocksProxy;
import io.partynet.core.internal.concurrent.DaemonThreads;
import io.partynet.spi.PartyNetwork;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SOCKS5 proxy: listens on {@code 127.0.0.1}, serves each client on its own daemon thread
 * (plus one per connection for the party-to-client direction) up to
 * {@link Limits#maxConnections()} at once. A client beyond that is answered "general failure"
 * by a single refusing thread with a short queue; when even that queue is full it is just closed.
 * The party network is looked up per connection, so a proxy outlives a change of party.
 */
public final class SocksProxyServer implements SocksProxy {
  private static final Logger LOG = LoggerFactory.getLogger(SocksProxyServer.class);
  private static final int ACCEPT_BACKLOG = 128;
  private static final int REFUSAL_QUEUE = 16;
  private static final Duration REFUSAL_DEADLINE = Duration.ofSeconds(5);

  /**
   * The proxy's bounds.
   *
   * @param handshakeTimeout how long a client may take for greeting and request together
   * @param connectTimeout how long a CONNECT may wait for the peer
   * @param idlePoll how often a blocked relay read wakes up to see whether the proxy closed;
   *     idle connections are never dropped
   * @param clientWriteTimeout how long a write to a client may block (it stopped reading while the
   *     peer kept sending) before the connection is reset
   * @param maxConnections the client connections served at once
   */
  public record Limits(Duration handshakeTimeout, Duration connectTimeout, Duration idlePoll, Duration clientWriteTimeout,
      int maxConnections) {
    /** 10 s handshake, 15 s connect, 5 s poll, 30 s for a write to a client (as a party socket's), 256 connections. */
    public static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), Duration.ofSeconds(15),
        Duration.ofSeconds(5), Duration.ofSeconds(30), 256);

    public Limits {
      for (Duration d : new Duration[] {handshakeTimeout, connectTimeout, idlePoll, clientWriteTimeout}) {
        if (d == null || d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
          throw new IllegalArgumentException("SOCKS5 proxy timeouts must be 1 ms..24 days: " + d);
        }
      }
      if (maxConnections < 1) {
        throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
      }
    }
  }

  private final Supplier<PartyNetwork> network;
  private final MemberNames names;
  private final Limits limits;
  private final ServerSocket server;
  private final Semaphore slots;
  private final Set<SocksSession> sessions = ConcurrentHashMap.newKeySet();
  private final ThreadPoolExecutor refuser;
  /** Resets sessions whose client stopped reading: a blocking socket write has no timeout of its own. */
  private final ScheduledExecutorService watchdog;
  private final AtomicLong served = new AtomicLong();
  private volatile boolean closed;

  private SocksProxyServer(Supplier<PartyNetwork> network, MemberNames names, Limits limits, ServerSocket server) {
    this.network = network;
    this.names = names;
    this.limits = limits;
    this.server = server;
    this.slots = new Semaphore(limits.maxConnections());
    this.refuser = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(REFUSAL_QUEUE),
        DaemonThreads.named(threadName() + "-refuse"), (task, executor) -> ((Refusal) task).closeUnanswered());
    this.watchdog = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(threadName() + "-watchdog"));
    long period = Math.max(1, Math.min(limits.idlePoll().toMillis(), limits.clientWriteTimeout().toMillis() / 2));
    watchdog.scheduleWithFixedDelay(this::resetStalledClients, period, period, TimeUnit.MILLISECONDS);
  }

  private void resetStalledClients() {
    long now = System.nanoTime();
    for (SocksSession session : sessions) {
      if (session.clientWriteStalled(now, limits.clientWriteTimeout())) {
        LOG.debug("SOCKS5 proxy {}: a client read nothing for {}; resetting its connection", localAddress(),
            limits.clientWriteTimeout());
        session.abort();
      }
    }
  }

  /**
   * Starts a proxy with {@link Limits#DEFAULT}.
   *
   * @param network the party network of the moment; may throw when there is none
   * @param loopbackPort the port on 127.0.0.1, or 0 for any free port
   * @throws java.net.BindException when the port is taken
   */
  public static SocksProxyServer start(Supplier<PartyNetwork> network, int loopbackPort) throws IOException {
    return start(network, MemberNames.NONE, loopbackPort, Limits.DEFAULT);
  }

  /** Starts a proxy with the given limits that knows no member names; see {@link #start(Supplier, int)}. */
  public static SocksProxyServer start(Supplier<PartyNetwork> network, int loopbackPort, Limits limits)
      throws IOException {
    return start(network, MemberNames.NONE, loopbackPort, limits);
  }

  /**
   * Starts a proxy that also carries requests naming a member ({@code names} resolves them); see
   * {@link #start(Supplier, int)}.
   */
  public static SocksProxyServer start(Supplier<PartyNetwork> network, MemberNames names, int loopbackPort, Limits limits)
      throws IOException {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(names, "names");
    Objects.requireNonNull(limits, "limits");
    if (loopbackPort < 0 || loopbackPort > 65535) {
      throw new IllegalArgumentException("loopback port must be 0..65535: " + loopbackPort);
    }
    ServerSocket server = new ServerSocket();
    try {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), loopbackPort), ACCEPT_BACKLOG);
    } catch (IOException e) {
      server.close();
      throw new java.net.BindException("cannot listen for SOCKS5 clients on 127.0.0.1:" + loopbackPort
          + " (" + e.getMessage() + "); choose another port or 0 for any free one");
    }
    SocksProxyServer proxy = new SocksProxyServer(network, names, limits, server);
    Thread acceptor = new Thread(proxy::acceptLoop, proxy.threadName());
    acceptor.setDaemon(true);
    acceptor.start();
    return proxy;
  }

  private String threadName() {
    return "partynet-socks-" + server.getLocalPort();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("SOCKS5 proxy {} stopped accepting: {}", localAddress(), e.getMessage());
        }
        return;
      }
      try {
        client.setTcpNoDelay(true); // games send small messages
      } catch (IOException goneAlready) {
        // the client reset at once; its session fails on the first read and ends
      }
      String name = threadName() + "-" + served.incrementAndGet();
      SocksSession session = new SocksSession(client, name, limits, names);
      if (slots.tryAcquire()) {
        serve(session, name);
      } else {
        LOG.debug("SOCKS5 proxy {}: {} connections already, refusing one", localAddress(), limits.maxConnections());
        refuser.execute(new Refusal(session));
      }
    }
  }

  private void serve(SocksSession session, String name) {
    sessions.add(session);
    Thread thread = new Thread(() -> {
      try {
        session.serve(network);
      } finally {
        sessions.remove(session);
        slots.release();
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    if (closed) {
      session.abort(); // close() may have missed it
    }
  }

  /** A client turned away for want of a slot, answered with a short deadline. */
  private record Refusal(SocksSession session) implements Runnable {
    @Override
    public void run() {
      session.refuse(REFUSAL_DEADLINE);
    }

    void closeUnanswered() {
      session.abort();
    }
  }

  @Override
  public InetSocketAddress localAddress() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
  }

  @Override
  public int activeConnections() {
    return limits.maxConnections() - slots.availablePermits();
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    watchdog.shutdownNow();
    sessions.forEach(SocksSession::abort);
    for (Runnable pending : refuser.shutdownNow()) {
      ((Refusal) pending).closeUnanswered();
    }
  }

  @Override
  public String toString() {
    return "SOCKS5 proxy " + localAddress() + " onto the party network";
  }
}
