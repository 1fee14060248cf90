package io.partynet.wireguard.embedded.internal.forward;

import io.partynet.PortExposure;
import io.partynet.TransportProtocol;
import io.partynet.wireguard.embedded.internal.stack.tcp.TcpConnection;
import io.partynet.wireguard.embedded.internal.stack.tcp.TcpListener;
import io.partynet.wireguard.embedded.internal.stack.tcp.TcpStack;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A virtual TCP port whose connections reach a local server: each accepted party connection gets
 * its own local socket to the target and a {@link StreamPump}. When the local server refuses,
 * the peer's connection is reset, as a closed port would be.
 */
final class TcpExposure implements PortExposure {
  private static final Logger LOG = LoggerFactory.getLogger(TcpExposure.class);
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final long ACCEPT_POLL_NANOS = 500_000_000L;

  private final TcpListener listener;
  private final InetSocketAddress target;
  private final AtomicInteger active = new AtomicInteger();
  private final Set<StreamPump> pumps = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closed;

  TcpExposure(TcpStack stack, int virtualPort, InetSocketAddress target) throws IOException {
    this.listener = stack.listen(virtualPort);
    this.target = target;
    this.acceptor = new Thread(this::acceptLoop, "partynet-expose-tcp-" + virtualPort);
    this.acceptor.setDaemon(true);
    this.acceptor.start();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        TcpConnection c = listener.accept(ACCEPT_POLL_NANOS);
        if (c != null) {
          active.incrementAndGet();
          Thread connector = new Thread(() -> bridge(c), "partynet-expose-connect-" + listener.port());
          connector.setDaemon(true);
          connector.start();
        }
      } catch (SocketException listenerClosed) {
        return;
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void bridge(TcpConnection c) {
    Socket local = new Socket();
    try {
      local.setTcpNoDelay(true);
      local.connect(target, CONNECT_TIMEOUT_MILLIS);
    } catch (IOException e) {
      LOG.debug("exposed port {}: local server {} refused: {}", listener.port(), target, e.getMessage());
      c.abort();
      closeQuietly(local);
      active.decrementAndGet();
      return;
    }
    StreamPump[] self = new StreamPump[1];
    self[0] = StreamPump.start(c, local, "partynet-expose-" + listener.port(), () -> {
      active.decrementAndGet();
      if (self[0] != null) {
        pumps.remove(self[0]);
      }
    });
    pumps.add(self[0]);
    if (closed) {
      self[0].abort();
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // never connected
    }
  }

  @Override
  public TransportProtocol protocol() {
    return TransportProtocol.TCP;
  }

  @Override
  public int virtualPort() {
    return listener.port();
  }

  @Override
  public InetSocketAddress target() {
    return target;
  }

  @Override
  public int activeConnections() {
    return active.get();
  }

  @Override
  public boolean passthrough() {
    return false;
  }

  @Override
  public void close() {
    closed = true;
    listener.close();
    acceptor.interrupt();
    for (StreamPump p : pumps) {
      p.abort();
    }
  }

  @Override
  public String toString() {
    return "expose tcp " + listener.port() + " -> " + target;
  }
}
