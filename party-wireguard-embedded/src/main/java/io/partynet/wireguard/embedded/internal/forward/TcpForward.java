package io.partynet.wireguard.embedded.internal.forward;

import io.partynet.TransportForward;
import io.partynet.TransportProtocol;
import io.partynet.wireguard.embedded.internal.ip.Ipv4Udp;
import io.partynet.wireguard.embedded.internal.stack.tcp.BlockingTcp;
import io.partynet.wireguard.embedded.internal.stack.tcp.TcpConnection;
import io.partynet.wireguard.embedded.internal.stack.tcp.TcpStack;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback TCP port that stands for a peer's virtual IP and port: every local client that
 * connects gets its own party connection and a {@link StreamPump}. When the peer refuses or does
 * not answer, the local client is reset.
 */
final class TcpForward implements TransportForward {
  private static final Logger LOG = LoggerFactory.getLogger(TcpForward.class);
  private static final long CONNECT_TIMEOUT_NANOS = 15_000_000_000L;

  private final TcpStack stack;
  private final ServerSocketChannel server;
  private final int remoteIp;
  private final int remotePort;
  private final CarriedConnections carried;

  TcpForward(TcpStack stack, int loopbackPort, int remoteIp, int remotePort) throws IOException {
    this.stack = stack;
    this.remoteIp = remoteIp;
    this.remotePort = remotePort;
    this.server = ServerSocketChannel.open();
    try {
      server.bind(EmbeddedNetwork.loopback(loopbackPort), 256);
      this.carried = new CarriedConnections("partynet-forward-" + localPort());
    } catch (IOException e) {
      server.close();
      throw e;
    }
    Thread acceptor = new Thread(this::acceptLoop, "partynet-forward-tcp-" + localPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void acceptLoop() {
    while (!carried.isClosed()) {
      try {
        SocketChannel client = server.accept();
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        carried.accepted(() -> dialPeer(client));
      } catch (IOException e) {
        if (!carried.isClosed()) {
          LOG.debug("forward {}: accept failed: {}", localPort(), e.getMessage());
        }
        return;
      }
    }
  }

  private void dialPeer(SocketChannel client) {
    TcpConnection c;
    try {
      c = stack.connect(remoteIp, remotePort);
      BlockingTcp.awaitEstablished(c, CONNECT_TIMEOUT_NANOS);
    } catch (IOException | InterruptedException e) {
      LOG.debug("forward {} -> {}:{}: {}", localPort(), virtualIp(), remotePort, e.getMessage());
      try {
        client.setOption(StandardSocketOptions.SO_LINGER, 0);
        client.close();
      } catch (IOException ignored) {
        // the client is gone already
      }
      carried.failed();
      return;
    }
    carried.carry(c, client);
  }

  @Override
  public TransportProtocol protocol() {
    return TransportProtocol.TCP;
  }

  @Override
  public int activeConnections() {
    return carried.active();
  }

  @Override
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) server.socket().getLocalSocketAddress();
  }

  private int localPort() {
    return server.socket().getLocalPort();
  }

  @Override
  public String virtualIp() {
    return Ipv4Udp.formatAddress(remoteIp);
  }

  @Override
  public int remotePort() {
    return remotePort;
  }

  @Override
  public void close() {
    carried.close();
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  @Override
  public String toString() {
    return "forward tcp " + localAddress() + " -> " + virtualIp() + ":" + remotePort;
  }
}
