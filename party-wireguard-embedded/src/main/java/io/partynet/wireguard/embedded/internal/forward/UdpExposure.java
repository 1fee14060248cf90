package io.partynet.wireguard.embedded.internal.forward;

import io.partynet.PortExposure;
import io.partynet.TransportProtocol;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A virtual UDP port whose datagrams reach a local server: each peer address (virtual IP and
 * port) gets its own local socket toward the target, so the server sees one client per peer and
 * its answers go back to that peer. Sessions idle for {@value #IDLE_SECONDS} s are closed; at
 * most {@value #MAX_SESSIONS} exist. A thread per session reads the server's answers.
 */
final class UdpExposure implements PortExposure {
  private static final Logger LOG = LoggerFactory.getLogger(UdpExposure.class);
  static final int MAX_SESSIONS = 256;
  static final int IDLE_SECONDS = 120;

  private final VirtualSocket socket;
  private final InetSocketAddress target;
  private final Map<Long, Session> sessions = new HashMap<>();
  private final DatagramPacket toServer = new DatagramPacket(new byte[65535], 0);
  private volatile boolean closed;

  /** One peer address and its local socket toward the server. */
  private final class Session {
    final long key;
    final int peerIp;
    final int peerPort;
    final DatagramSocket local;
    volatile long lastNanos = System.nanoTime();

    Session(long key, int peerIp, int peerPort) throws IOException {
      this.key = key;
      this.peerIp = peerIp;
      this.peerPort = peerPort;
      this.local = new DatagramSocket(new InetSocketAddress(target.getAddress().isLoopbackAddress()
          ? target.getAddress() : null, 0));
      this.local.setSoTimeout(1000);
      Thread reader = new Thread(this::answers, "partynet-expose-udp-" + socket.localPort());
      reader.setDaemon(true);
      reader.start();
    }

    private void answers() {
      DatagramPacket packet = new DatagramPacket(new byte[65535], 65535);
      while (!closed && !local.isClosed()) {
        try {
          packet.setLength(65535);
          local.receive(packet);
          lastNanos = System.nanoTime();
          socket.send(peerIp, peerPort, packet.getData(), 0, packet.getLength());
        } catch (SocketTimeoutException idle) {
          if (System.nanoTime() - lastNanos > IDLE_SECONDS * 1_000_000_000L) {
            end(this);
          }
        } catch (IOException e) {
          if (!local.isClosed()) {
            LOG.debug("exposed UDP port {}: answer to peer dropped: {}", socket.localPort(), e.getMessage());
          }
        }
      }
    }
  }

  UdpExposure(EmbeddedNetwork network, int virtualPort, InetSocketAddress target) throws IOException {
    this.target = target;
    this.toServer.setSocketAddress(target);
    this.socket = network.bind(virtualPort, this::fromPeer);
  }

  /** On the device's receive thread. */
  private void fromPeer(int sourceIp, int sourcePort, byte[] payload, int offset, int length) {
    long key = ((long) sourceIp << 16) | sourcePort;
    synchronized (sessions) {
      Session s = sessions.get(key);
      try {
        if (s == null) {
          if (sessions.size() >= MAX_SESSIONS) {
            return;
          }
          s = new Session(key, sourceIp, sourcePort);
          sessions.put(key, s);
        }
        s.lastNanos = System.nanoTime();
        System.arraycopy(payload, offset, toServer.getData(), 0, length);
        toServer.setLength(length);
        s.local.send(toServer);
      } catch (IOException e) {
        LOG.debug("exposed UDP port {}: datagram to {} dropped: {}", socket.localPort(), target, e.getMessage());
      }
    }
  }

  private void end(Session s) {
    synchronized (sessions) {
      sessions.remove(s.key, s);
    }
    s.local.close();
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
    synchronized (sessions) {
      return sessions.size();
    }
  }

  @Override
  public boolean passthrough() {
    return false;
  }

  @Override
  public void close() {
    closed = true;
    socket.close();
    synchronized (sessions) {
      for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
        it.next().local.close();
        it.remove();
      }
    }
  }

  @Override
  public String toString() {
    return "expose udp " + socket.localPort() + " -> " + target;
  }
}
