package io.partynet.wireguard.embedded.internal.forward;

import io.partynet.TransportForward;
import io.partynet.TransportProtocol;
import io.partynet.wireguard.embedded.internal.ip.Ipv4Udp;
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
 * A loopback UDP port that stands for {@code virtualIp:port}, for many local clients at once:
 * each client address gets its own session, a virtual UDP socket on an ephemeral port of the
 * local virtual IP, so the peer's answers go back to the client that caused them. Sessions idle
 * for {@value #IDLE_SECONDS} s are closed; at most {@value #MAX_SESSIONS} exist (the oldest idle
 * one makes room). One thread reads the loopback socket; answers are sent from the device's
 * receive thread.
 */
final class UdpForward implements TransportForward {
  private static final Logger LOG = LoggerFactory.getLogger(UdpForward.class);
  static final int MAX_SESSIONS = 256;
  static final int IDLE_SECONDS = 120;

  private final EmbeddedNetwork network;
  private final DatagramSocket loopback;
  private final int remoteIp;
  private final int remotePort;
  private final Map<InetSocketAddress, Session> sessions = new HashMap<>();
  private final Thread pump;
  private volatile boolean closed;

  /** One local client: its virtual socket and the time it last sent. */
  private final class Session {
    final InetSocketAddress client;
    final VirtualSocket socket;
    final DatagramPacket reply;
    volatile long lastSentNanos = System.nanoTime();

    Session(InetSocketAddress client) throws IOException {
      this.client = client;
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
          LOG.debug("forward reply to {} failed: {}", client, e.getMessage());
        }
      }
    }
  }

  UdpForward(EmbeddedNetwork network, int loopbackPort, int remoteIp, int remotePort) throws IOException {
    this.network = network;
    this.remoteIp = remoteIp;
    this.remotePort = remotePort;
    this.loopback = new DatagramSocket(EmbeddedNetwork.loopback(loopbackPort));
    this.loopback.setSoTimeout(1000);
    this.pump = new Thread(this::pumpToTunnel, "partynet-forward-udp-" + loopback.getLocalPort());
    this.pump.setDaemon(true);
    this.pump.start();
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
            expireIdle();
          }
        }
        Session session = session((InetSocketAddress) packet.getSocketAddress());
        session.lastSentNanos = System.nanoTime();
        session.socket.send(remoteIp, remotePort, packet.getData(), 0, packet.getLength());
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          LOG.debug("forward {} -> {}:{} dropped a datagram: {}", loopback.getLocalPort(), virtualIp(), remotePort,
              e.getMessage());
        }
      }
    }
  }

  private Session session(InetSocketAddress client) throws IOException {
    synchronized (sessions) {
      Session s = sessions.get(client);
      if (s == null) {
        if (sessions.size() >= MAX_SESSIONS) {
          evictOldest();
        }
        s = new Session(client);
        sessions.put(client, s);
      }
      return s;
    }
  }

  private void evictOldest() {
    Session oldest = null;
    for (Session s : sessions.values()) {
      if (oldest == null || s.lastSentNanos < oldest.lastSentNanos) {
        oldest = s;
      }
    }
    if (oldest != null) {
      sessions.remove(oldest.client);
      oldest.socket.close();
    }
  }

  private void expireIdle() {
    long now = System.nanoTime();
    synchronized (sessions) {
      for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
        Session s = it.next();
        if (now - s.lastSentNanos > IDLE_SECONDS * 1_000_000_000L) {
          s.socket.close();
          it.remove();
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
    synchronized (sessions) {
      return sessions.size();
    }
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
    synchronized (sessions) {
      for (Session s : sessions.values()) {
        s.socket.close();
      }
      sessions.clear();
    }
  }

  @Override
  public String toString() {
    return "forward udp " + localAddress() + " -> " + virtualIp() + ":" + remotePort;
  }
}
