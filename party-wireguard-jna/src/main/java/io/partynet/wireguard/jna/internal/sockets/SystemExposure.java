package io.partynet.wireguard.jna.internal.sockets;

import io.partynet.PortExposure;
import io.partynet.TransportProtocol;
import java.net.InetSocketAddress;

/**
 * An expose on a kernel backend: a relay from the virtual IP to the local server, or, when the
 * server already listens on all addresses (so the system delivers the virtual IP to it), a
 * passthrough that relays nothing. Thread-safe.
 */
final class SystemExposure implements PortExposure {
  private final TransportProtocol protocol;
  private final int virtualPort;
  private final InetSocketAddress target;
  /** A {@link TcpRelay} or {@link UdpRelay}; null for a passthrough. */
  private final AutoCloseable relay;
  private final java.util.function.Consumer<AutoCloseable> onClose;

  SystemExposure(TransportProtocol protocol, int virtualPort, InetSocketAddress target, AutoCloseable relay,
      java.util.function.Consumer<AutoCloseable> onClose) {
    this.protocol = protocol;
    this.virtualPort = virtualPort;
    this.target = target;
    this.relay = relay;
    this.onClose = onClose;
  }

  @Override
  public TransportProtocol protocol() {
    return protocol;
  }

  @Override
  public int virtualPort() {
    return virtualPort;
  }

  @Override
  public InetSocketAddress target() {
    return target;
  }

  /** Connections the relay carries; 0 for a passthrough (the system carries them, unseen). */
  @Override
  public int activeConnections() {
    if (relay instanceof TcpRelay tcp) {
      return tcp.activeConnections();
    }
    return relay instanceof UdpRelay udp ? udp.activeSessions() : 0;
  }

  @Override
  public boolean passthrough() {
    return relay == null;
  }

  @Override
  public void close() {
    if (relay != null) {
      SocketPump.closeQuietly(relay);
    }
    onClose.accept(this);
  }

  @Override
  public String toString() {
    return "expose " + protocol + " " + virtualPort + " -> " + target + (passthrough() ? " (passthrough)" : "");
  }
}
