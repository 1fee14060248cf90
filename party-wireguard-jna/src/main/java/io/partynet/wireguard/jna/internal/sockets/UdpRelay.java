package io.partynet.wireguard.jna.internal.sockets;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bound UDP socket whose datagrams are carried to {@code destination}: each source address gets
 * its own session, a socket on {@code dialFrom} (the virtual IP for a forward, loopback or any for
 * an expose) connected to the destination, so the destination sees one client per source and its
 * answers go back to that source. At most {@value #MAX_SESSIONS} sessions (the least recently used
 * makes room); a session idle for {@value #IDLE_SECONDS} s ends. One thread reads the bound socket,
 * one per session reads the answers. Thread-safe.
 */
final class UdpRelay implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UdpRelay.class);
  static final int MAX_SESSIONS = 256;
  static final int IDLE_SECONDS = 120;
  private static final int MAX_DATAGRAM = 65535;
  private static final int POLL_MILLIS = 1000;

  private final DatagramSocket bound;
  private final InetSocketAddress destination;
  private final InetAddress dialFrom;
  private final String name;
  private final Map<SocketAddress, Session> sessions = new HashMap<>();
  private volatile boolean closed;

  /** One source address and its connected socket toward the destination. */
  private final class Session {
    final SocketAddress source;
    final DatagramSocket toDestination;
    volatile long lastUsedNanos = System.nanoTime();

    Session(SocketAddress source) throws IOException {
      this.source = source;
      this.toDestination = new DatagramSocket(new InetSocketAddress(dialFrom, 0));
      this.toDestination.connect(destination);
      this.toDestination.setSoTimeout(POLL_MILLIS);
      SocketPump.daemon(this::answers, name + "-answers");
    }

    private void answers() {
      DatagramPacket packet = new DatagramPacket(new byte[MAX_DATAGRAM], MAX_DATAGRAM);
      while (!toDestination.isClosed()) {
        try {
          packet.setLength(MAX_DATAGRAM);
          toDestination.receive(packet);
          lastUsedNanos = System.nanoTime();
          packet.setSocketAddress(source);
          bound.send(packet);
        } catch (SocketTimeoutException idle) {
          if (System.nanoTime() - lastUsedNanos > IDLE_SECONDS * 1_000_000_000L) {
            end(this);
          }
        } catch (IOException e) {
          if (!toDestination.isClosed() && !closed) {
            LOG.debug("{}: an answer to {} was dropped: {}", name, source, e.getMessage());
          }
        }
      }
    }
  }

  UdpRelay(DatagramSocket bound, InetSocketAddress destination, InetAddress dialFrom, String name) {
    this.bound = bound;
    this.destination = destination;
    this.dialFrom = dialFrom;
    this.name = name;
    SocketPump.daemon(this::fromSources, name);
  }

  private void fromSources() {
    DatagramPacket packet = new DatagramPacket(new byte[MAX_DATAGRAM], MAX_DATAGRAM);
    DatagramPacket forward = new DatagramPacket(packet.getData(), 0);
    while (!closed) {
      try {
        packet.setLength(MAX_DATAGRAM);
        bound.receive(packet);
        Session session = session(packet.getSocketAddress());
        session.lastUsedNanos = System.nanoTime();
        forward.setLength(packet.getLength());
        session.toDestination.send(forward);
      } catch (IOException e) {
        if (closed || bound.isClosed()) {
          return;
        }
        LOG.debug("{}: a datagram toward {} was dropped: {}", name, destination, e.getMessage());
      }
    }
  }

  private Session session(SocketAddress source) throws IOException {
    synchronized (sessions) {
      Session s = sessions.get(source);
      if (s == null) {
        if (sessions.size() >= MAX_SESSIONS) {
          evictLeastRecentlyUsed();
        }
        s = new Session(source);
        sessions.put(source, s);
      }
      return s;
    }
  }

  private void evictLeastRecentlyUsed() {
    Session oldest = null;
    for (Session s : sessions.values()) {
      if (oldest == null || s.lastUsedNanos < oldest.lastUsedNanos) {
        oldest = s;
      }
    }
    if (oldest != null) {
      sessions.remove(oldest.source);
      oldest.toDestination.close();
    }
  }

  private void end(Session s) {
    synchronized (sessions) {
      sessions.remove(s.source, s);
    }
    s.toDestination.close();
  }

  int activeSessions() {
    synchronized (sessions) {
      return sessions.size();
    }
  }

  InetSocketAddress localAddress() {
    return (InetSocketAddress) bound.getLocalSocketAddress();
  }

  @Override
  public void close() {
    closed = true;
    bound.close();
    synchronized (sessions) {
      for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
        it.next().toDestination.close();
        it.remove();
      }
    }
  }
}
