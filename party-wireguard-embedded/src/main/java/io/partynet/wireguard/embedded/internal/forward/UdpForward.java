package io.partynet.wireguard.embedded.internal.forward;

import io.partynet.TransportForward;
import io.partynet.TransportProtocol;
import io.partynet.wireguard.embedded.internal.ip.Ipv4Udp;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback UDP port that stands for {@code virtualIp:port}, for many local clients at once:
 * each client address gets its own session, a virtual UDP socket on an ephemeral port of the
 * local virtual IP, so the peer's answers go back to the client that caused them. Sessions idle
 * for {@value #IDLE_SECONDS} s are closed; at most {@value #MAX_SESSIONS} exist (the least recently
 * used one makes room). One thread reads the loopback socket; answers are sent from the device's
 * delivery thread.
 */
final class UdpForward implements TransportForward {
  private static final Logger LOG = LoggerFactory.getLogger(UdpForward.class);
  static final int MAX_SESSIONS = 256;
  static final int IDLE_SECONDS = 120;

  private final EmbeddedNetwork network;
  private final DatagramSocket loopback;
  private final int remoteIp;
  private final int remotePort;
  private final UdpSessions<Session> sessions = new UdpSessions<>(MAX_SESSIONS);
  private volatile boolean closed;

  /** One local client: its virtual socket. */
  private final class Session extends UdpSessions.Session {
    final VirtualSocket socket;
    final DatagramPacket reply;

    Session(long key, InetSocketAddress client) throws IOException {
      super(key);
      this.reply = new DatagramPacket(new byte[65535], 0, client);
      this.socket = network.bind(0, this::fromPeer);
    }

    private void fromPeer(int sourceIp, int sourcePort, byte[] payload, int offset, int length) {
      if (sourceIp != remoteIp || sourcePort != remotePort) {
        return;
      }
      synchronized (reply) {
        System.arraycopy(payload, offset, reply.getData(), 0, length);
        reply.setLength(length);
        try {
          loopback.send(reply);
        } catch (IOException e) {
          LOG.debug("forward reply to {} failed: {}", reply.getSocketAddress(), e.getMessage());
        }
      }
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  UdpForward(EmbeddedNetwork network, int loopbackPort, int remoteIp, int remotePort) throws IOException {
    this.network = network;
    this.remoteIp = remoteIp;
    this.remotePort = remotePort;
    this.loopback = new DatagramSocket(EmbeddedNetwork.loopback(loopbackPort));
    this.loopback.setSoTimeout(1000);
    Thread pump = new Thread(this::pumpToTunnel, "partynet-forward-udp-" + loopback.getLocalPort());
    pump.setDaemon(true);
    pump.start();
  }

  private void pumpToTunnel() {
    DatagramPacket packet = new DatagramPacket(new byte[65535], 65535);
    long lastSweep = System.nanoTime();
    while (!closed) {
      try {
        packet.setLength(65535);
        try {
          loopback.receive(packet);
        } catch (SocketTimeoutException idle) {
          continue;
        } finally {
          if (System.nanoTime() - lastSweep > 1_000_000_000L) {
            lastSweep = System.nanoTime();
            sessions.expireIdle(IDLE_SECONDS * 1_000_000_000L);
          }
        }
        // the loopback socket only hears IPv4 loopback clients
        byte[] a = packet.getAddress().getAddress();
        int clientIp = (a[0] & 0xff) << 24 | (a[1] & 0xff) << 16 | (a[2] & 0xff) << 8 | (a[3] & 0xff);
        InetSocketAddress client = (InetSocketAddress) packet.getSocketAddress();
        Session session = sessions.get(UdpSessions.key(clientIp, packet.getPort()), key -> new Session(key, client));
        session.socket.send(remoteIp, remotePort, packet.getData(), 0, packet.getLength());
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          LOG.debug("forward {} -> {}:{} dropped a datagram: {}", loopback.getLocalPort(), virtualIp(), remotePort,
              e.getMessage());
        }
      }
    }
  }

  @Override
  public TransportProtocol protocol() {
    return TransportProtocol.UDP;
  }

  @Override
  public int activeConnections() {
    return sessions.size();
  }

  @Override
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) loopback.getLocalSocketAddress();
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
    loopback.close();
    sessions.closeAll();
  }

  @Override
  public String toString() {
    return "forward udp " + localAddress() + " -> " + virtualIp() + ":" + remotePort;
  }
}
