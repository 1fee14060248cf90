package io.partynet.wireguard.embedded.internal.forward;

import io.partynet.PortExposure;
import io.partynet.TransportProtocol;
import io.partynet.wireguard.embedded.internal.stack.tcp.TcpConnection;
import io.partynet.wireguard.embedded.internal.stack.tcp.TcpListener;
import io.partynet.wireguard.embedded.internal.stack.tcp.TcpStack;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A virtual TCP port whose connections reach a local server: each accepted party connection gets
 * its own local socket to the target, carried by the {@link StreamPump} ({@link CarriedConnections}). When the local server refuses,
 * the peer's connection is reset, as a closed port would be.
 */
final class TcpExposure implements PortExposure {
  private static final Logger LOG = LoggerFactory.getLogger(TcpExposure.class);
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final long ACCEPT_POLL_NANOS = 500_000_000L;

  private final TcpListener listener;
  private final InetSocketAddress target;
  private final CarriedConnections carried;
  private final Thread acceptor;

  TcpExposure(TcpStack stack, int virtualPort, InetSocketAddress target) throws IOException {
    this.target = target;
    this.carried = new CarriedConnections("partynet-expose-" + virtualPort);
    try {
      this.listener = stack.listen(virtualPort);
    } catch (IOException | RuntimeException e) {
      carried.close();
      throw e;
    }
    this.acceptor = new Thread(this::acceptLoop, "partynet-expose-tcp-" + virtualPort);
    this.acceptor.setDaemon(true);
    this.acceptor.start();
  }

  private void acceptLoop() {
    while (!carried.isClosed()) {
      try {
        TcpConnection c = listener.accept(ACCEPT_POLL_NANOS);
        if (c != null) {
          carried.accepted(() -> dialLocalServer(c));
        }
      } catch (SocketException | InterruptedException listenerClosed) {
        return;
      }
    }
  }

  private void dialLocalServer(TcpConnection c) {
    SocketChannel local = null;
    try {
      local = SocketChannel.open();
      local.setOption(StandardSocketOptions.TCP_NODELAY, true);
      local.socket().connect(target, CONNECT_TIMEOUT_MILLIS);
    } catch (IOException e) {
      LOG.debug("exposed port {}: local server {} refused: {}", listener.port(), target, e.getMessage());
      c.abort();
      if (local != null) {
        try {
          local.close();
        } catch (IOException ignored) {
          // never connected
        }
      }
      carried.failed();
      return;
    }
    carried.carry(c, local);
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
    return carried.active();
  }

  @Override
  public boolean passthrough() {
    return false;
  }

  @Override
  public void close() {
    carried.close();
    listener.close();
    acceptor.interrupt();
  }

  @Override
  public String toString() {
    return "expose tcp " + listener.port() + " -> " + target;
  }
}
