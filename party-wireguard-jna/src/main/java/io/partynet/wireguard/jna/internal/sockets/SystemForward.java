package io.partynet.wireguard.jna.internal.sockets;

import io.partynet.TransportForward;
import io.partynet.TransportProtocol;
import java.net.InetSocketAddress;

/** A forward on a kernel backend: a loopback relay whose connections leave from the virtual IP. Thread-safe. */
final class SystemForward implements TransportForward {
  private final TransportProtocol protocol;
  private final String virtualIp;
  private final int remotePort;
  private final AutoCloseable relay;
  private final InetSocketAddress localAddress;
  private final java.util.function.Consumer<AutoCloseable> onClose;

  SystemForward(TcpRelay relay, String virtualIp, int remotePort, java.util.function.Consumer<AutoCloseable> onClose) {
    this(TransportProtocol.TCP, relay, relay.localAddress(), virtualIp, remotePort, onClose);
  }

  SystemForward(UdpRelay relay, String virtualIp, int remotePort, java.util.function.Consumer<AutoCloseable> onClose) {
    this(TransportProtocol.UDP, relay, relay.localAddress(), virtualIp, remotePort, onClose);
  }

  private SystemForward(TransportProtocol protocol, AutoCloseable relay, InetSocketAddress localAddress,
      String virtualIp, int remotePort, java.util.function.Consumer<AutoCloseable> onClose) {
    this.protocol = protocol;
    this.relay = relay;
    this.localAddress = localAddress;
    this.virtualIp = virtualIp;
    this.remotePort = remotePort;
    this.onClose = onClose;
  }

  @Override
  public TransportProtocol protocol() {
    return protocol;
  }

  @Override
  public int activeConnections() {
    return relay instanceof TcpRelay tcp ? tcp.activeConnections() : ((UdpRelay) relay).activeSessions();
  }

  @Override
  public InetSocketAddress localAddress() {
    return localAddress;
  }

  @Override
  public String virtualIp() {
    return virtualIp;
  }

  @Override
  public int remotePort() {
    return remotePort;
  }

  @Override
  public void close() {
    SocketPump.closeQuietly(relay);
    onClose.accept(this);
  }

  @Override
  public String toString() {
    return "forward " + protocol + " " + localAddress + " -> " + virtualIp + ":" + remotePort;
  }
}
