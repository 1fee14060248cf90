package io.partynet.wireguard.jna.internal.sockets;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening socket whose every accepted connection is carried to {@code destination} over a new
 * connection from {@code dialFrom} (the virtual IP for a forward, any for an expose). When the
 * destination refuses or does not answer, the accepted connection is reset, as a closed port
 * would be. Thread-safe.
 */
final class TcpRelay implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TcpRelay.class);
  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

  private final ServerSocket server;
  private final InetSocketAddress destination;
  private final InetAddress dialFrom;
  private final String name;
  private final AtomicInteger active = new AtomicInteger();
  private final Set<SocketPump> pumps = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  TcpRelay(ServerSocket server, InetSocketAddress destination, InetAddress dialFrom, String name) {
    this.server = server;
    this.destination = destination;
    this.dialFrom = dialFrom;
    this.name = name;
    SocketPump.daemon(this::acceptLoop, name + "-accept");
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket accepted = server.accept();
        active.incrementAndGet();
        SocketPump.daemon(() -> carry(accepted), name + "-dial");
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("{}: accepting failed, the relay stops: {}", name, e.getMessage());
        }
        return;
      }
    }
  }

  private void carry(Socket accepted) {
    Socket outgoing = new Socket();
    try {
      accepted.setTcpNoDelay(true);
      outgoing.setTcpNoDelay(true);
      if (dialFrom != null) {
        outgoing.bind(new InetSocketAddress(dialFrom, 0));
      }
      outgoing.connect(destination, CONNECT_TIMEOUT_MILLIS);
    } catch (IOException e) {
      LOG.debug("{}: {} refused or did not answer: {}", name, destination, e.getMessage());
      SocketPump.resetQuietly(accepted);
      SocketPump.closeQuietly(outgoing);
      active.decrementAndGet();
      return;
    }
    SocketPump pump = new SocketPump(accepted, outgoing);
    pumps.add(pump);
    pump.start(name, () -> {
      active.decrementAndGet();
      pumps.remove(pump);
    });
    if (closed) {
      pump.abort();
    }
  }

  int activeConnections() {
    return active.get();
  }

  InetSocketAddress localAddress() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  /** Stops listening and resets every carried connection. */
  @Override
  public void close() {
    closed = true;
    SocketPump.closeQuietly(server);
    pumps.forEach(SocketPump::abort);
  }
}
