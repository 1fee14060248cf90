package io.partynet.wireguard.embedded.internal.forward;

import io.partynet.TransportForward;
import io.partynet.TransportProtocol;
import io.partynet.wireguard.embedded.internal.ip.Ipv4Udp;
import io.partynet.wireguard.embedded.internal.stack.tcp.BlockingTcp;
import io.partynet.wireguard.embedded.internal.stack.tcp.TcpConnection;
import io.partynet.wireguard.embedded.internal.stack.tcp.TcpStack;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
  private final ServerSocket server;
  private final int remoteIp;
  private final int remotePort;
  private final CarriedConnections carried;

  TcpForward(TcpStack stack, int loopbackPort, int remoteIp, int remotePort) throws IOException {
    this.stack = stack;
    this.remoteIp = remoteIp;
    this.remotePort = remotePort;
    this.server = new ServerSocket();
    try {
      server.bind(EmbeddedNetwork.loopback(loopbackPort), 256);
    } catch (IOException e) {
      server.close();
      throw e;
    }
    this.carried = new CarriedConnections("partynet-forward-" + server.getLocalPort());
    Thread acceptor = new Thread(this::acceptLoop, "partynet-forward-tcp-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void acceptLoop() {
    while (!carried.isClosed()) {
      try {
        Socket client = server.accept();
        client.setTcpNoDelay(true);
        carried.accepted(() -> dialPeer(client));
      } catch (IOException e) {
        if (!carried.isClosed()) {
          LOG.debug("forward {}: accept failed: {}", server.getLocalPort(), e.getMessage());
        }
        return;
      }
    }
  }

  private void dialPeer(Socket client) {
    TcpConnection c;
    try {
      c = stack.connect(remoteIp, remotePort);
      BlockingTcp.awaitEstablished(c, CONNECT_TIMEOUT_NANOS);
    } catch (IOException | InterruptedException e) {
      LOG.debug("forward {} -> {}:{}: {}", server.getLocalPort(), virtualIp(), remotePort, e.getMessage());
      try {
        client.setSoLinger(true, 0);
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
    return (InetSocketAddress) server.getLocalSocketAddress();
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
