package io.partynet.wireguard.embedded.internal.forward;

import io.partynet.PortExposure;
import io.partynet.TransportProtocol;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A virtual UDP port whose datagrams reach a local server: each peer address (virtual IP and
 * port) gets its own local socket toward the target, so the server sees one client per peer and
 * its answers go back to that peer. Sessions idle for {@value #IDLE_SECONDS} s are closed; at
 * most {@value #MAX_SESSIONS} exist (the least recently used makes room). A thread per session
 * reads the server's answers; datagrams from peers are sent on the device's delivery thread.
 */
final class UdpExposure implements PortExposure {
  private static final Logger LOG = LoggerFactory.getLogger(UdpExposure.class);
  static final int MAX_SESSIONS = 256;
  static final int IDLE_SECONDS = 120;
  private static final int MAX_DATAGRAM = 65535;

  private final VirtualSocket socket;
  private final InetSocketAddress target;
  private final UdpSessions<Session> sessions = new UdpSessions<>(MAX_SESSIONS);
  /** Made once: a constructor reference of an inner class would be a new object per datagram. */
  private final UdpSessions.Factory<Session> newSession = Session::new;
  /** Only the device's delivery thread uses it. */
  private final DatagramPacket toServer = new DatagramPacket(new byte[MAX_DATAGRAM], 0);
  private volatile boolean closed;

  /** One peer address and its local socket toward the server. */
  private final class Session extends UdpSessions.Session {
    final int peerIp;
    final int peerPort;
    final DatagramSocket local;

    Session(long key) throws IOException {
      super(key);
      this.peerIp = (int) (key >>> 16);
      this.peerPort = (int) (key & 0xffff);
      this.local = new DatagramSocket(new InetSocketAddress(target.getAddress().isLoopbackAddress()
          ? target.getAddress() : null, 0));
      this.local.setSoTimeout(1000);
      Thread reader = new Thread(this::answers, "partynet-expose-udp-" + socket.localPort());
      reader.setDaemon(true);
      reader.start();
    }

    private void answers() {
      DatagramPacket packet = new DatagramPacket(new byte[MAX_DATAGRAM], MAX_DATAGRAM);
      while (!closed && !local.isClosed()) {
        try {
          packet.setLength(MAX_DATAGRAM);
          local.receive(packet);
          lastUsedNanos = System.nanoTime();
          socket.send(peerIp, peerPort, packet.getData(), 0, packet.getLength());
        } catch (SocketTimeoutException idle) {
          sessions.expireIdle(IDLE_SECONDS * 1_000_000_000L);
        } catch (IOException e) {
          if (!local.isClosed()) {
            LOG.debug("exposed UDP port {}: answer to peer dropped: {}", socket.localPort(), e.getMessage());
          }
        }
      }
    }

    @Override
    public void close() {
      local.close();
    }
  }

  UdpExposure(EmbeddedNetwork network, int virtualPort, InetSocketAddress target) throws IOException {
    this.target = target;
    this.toServer.setSocketAddress(target);
    this.socket = network.bind(virtualPort, this::fromPeer);
  }

  /** On the device's delivery thread. */
  private void fromPeer(int sourceIp, int sourcePort, byte[] payload, int offset, int length) {
    try {
      Session s = sessions.get(UdpSessions.key(sourceIp, sourcePort), newSession);
      System.arraycopy(payload, offset, toServer.getData(), 0, length);
      toServer.setLength(length);
      s.local.send(toServer);
    } catch (IOException e) {
      LOG.debug("exposed UDP port {}: datagram to {} dropped: {}", socket.localPort(), target, e.getMessage());
    }
  }

  @Override
  public TransportProtocol protocol() {
    return TransportProtocol.UDP;
  }

  @Override
  public int virtualPort() {
    return socket.localPort();
  }

  @Override
  public InetSocketAddress target() {
    return target;
  }

  @Override
  public int activeConnections() {
    return sessions.size();
  }

  @Override
  public boolean passthrough() {
    return false;
  }

  @Override
  public void close() {
    closed = true;
    socket.close();
    sessions.closeAll();
  }

  @Override
  public String toString() {
    return "expose udp " + socket.localPort() + " -> " + target;
  }
}
