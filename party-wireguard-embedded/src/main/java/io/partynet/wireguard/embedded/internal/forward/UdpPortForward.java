package io.partynet.wireguard.embedded.internal.forward;

import io.partynet.PortForward;
import io.partynet.wireguard.embedded.internal.ip.Ipv4Udp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.DatagramChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback UDP port that stands for {@code virtualIp:port}: what a local game sends to it leaves
 * through the tunnel from an ephemeral port of the local virtual IP, and what the peer sends back
 * to that port goes to the game's address (the last one that sent). One thread per forward reads
 * the loopback socket; replies are written from the device's receive thread. UDP only.
 *
 * <p>Thread-safe.
 */
final class UdpPortForward implements PortForward {
  private static final Logger LOG = LoggerFactory.getLogger(UdpPortForward.class);

  private final DatagramChannel loopback;
  private final VirtualSocket tunnelSide;
  private final int remoteIp;
  private final int remotePort;
  private final Thread pump;
  private final ByteBuffer replyBuffer = ByteBuffer.allocate(65535);
  private volatile InetSocketAddress game;
  private volatile boolean closed;

  private UdpPortForward(EmbeddedNetwork network, DatagramChannel loopback, int remoteIp, int remotePort)
      throws IOException {
    this.loopback = loopback;
    this.remoteIp = remoteIp;
    this.remotePort = remotePort;
    this.tunnelSide = network.bind(0, this::fromTunnel);
    this.pump = new Thread(this::pumpToTunnel, "partynet-forward-" + localAddress().getPort());
    this.pump.setDaemon(true);
  }

  static UdpPortForward open(EmbeddedNetwork network, int loopbackPort, int remoteIp, int remotePort)
      throws IOException {
    DatagramChannel channel = DatagramChannel.open();
    try {
      channel.bind(EmbeddedNetwork.loopback(loopbackPort));
      UdpPortForward forward = new UdpPortForward(network, channel, remoteIp, remotePort);
      forward.pump.start();
      return forward;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private void pumpToTunnel() {
    ByteBuffer buffer = ByteBuffer.allocate(65535);
    while (!closed) {
      try {
        buffer.clear();
        SocketAddress from = loopback.receive(buffer);
        if (from == null) {
          continue;
        }
        if (!from.equals(game)) {
          game = (InetSocketAddress) from;
        }
        tunnelSide.send(remoteIp, remotePort, buffer.array(), 0, buffer.position());
      } catch (AsynchronousCloseException e) {
        return;
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          LOG.debug("port forward {} -> {}:{} dropped a datagram: {}", localAddress(),
              Ipv4Udp.formatAddress(remoteIp), remotePort, e.getMessage());
        }
      }
    }
  }

  private void fromTunnel(int sourceIp, int sourcePort, byte[] payload, int offset, int length) {
    InetSocketAddress target = game;
    if (target == null || sourceIp != remoteIp || sourcePort != remotePort) {
      return;
    }
    synchronized (replyBuffer) {
      replyBuffer.clear();
      replyBuffer.put(payload, offset, length);
      replyBuffer.flip();
      try {
        loopback.send(replyBuffer, target);
      } catch (IOException e) {
        LOG.debug("port forward reply to {} failed: {}", target, e.getMessage());
      }
    }
  }

  @Override
  public InetSocketAddress localAddress() {
    try {
      return (InetSocketAddress) loopback.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException("port forward socket is closed", e);
    }
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
    closed = true;
    tunnelSide.close();
    try {
      loopback.close();
    } catch (IOException e) {
      LOG.debug("closing port forward: {}", e.getMessage());
    }
  }
}
