package io.partynet.wireguard.embedded.internal.forward;

import io.partynet.PartyDatagramSocket;
import io.partynet.PartyServerSocket;
import io.partynet.PartyStreamSocket;
import io.partynet.PortExposure;
import io.partynet.PortForward;
import io.partynet.TransportForward;
import io.partynet.TransportProtocol;
import io.partynet.spi.PartyNetwork;
import io.partynet.spi.UserspaceNetwork;
import io.partynet.wireguard.embedded.internal.ip.Ipv4Udp;
import io.partynet.wireguard.embedded.internal.stack.NetworkStack;
import io.partynet.wireguard.embedded.internal.stack.tcp.BlockingTcp;
import io.partynet.wireguard.embedded.internal.stack.tcp.TcpConnection;
import io.partynet.wireguard.embedded.internal.stack.tcp.TcpStack;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * The embedded backend's {@link PartyNetwork}: TCP through the userspace {@link NetworkStack},
 * UDP through {@link EmbeddedNetwork}. Also the older {@link UserspaceNetwork} view. Thread-safe.
 */
public final class EmbeddedPartyNetwork implements PartyNetwork, UserspaceNetwork {
  private final NetworkStack stack;
  private final EmbeddedNetwork udp;

  public EmbeddedPartyNetwork(NetworkStack stack, EmbeddedNetwork udp) {
    this.stack = stack;
    this.udp = udp;
  }

  public NetworkStack stack() {
    return stack;
  }

  private TcpStack tcp() {
    return stack.tcp();
  }

  @Override
  public String localIp() {
    return Ipv4Udp.formatAddress(stack.localIp());
  }

  @Override
  public PortExposure expose(TransportProtocol protocol, int virtualPort, InetSocketAddress target)
      throws IOException {
    Objects.requireNonNull(protocol, "protocol");
    checkPort(virtualPort);
    InetSocketAddress to = target != null ? target
        : new InetSocketAddress(InetAddress.getLoopbackAddress(), virtualPort);
    if (to.isUnresolved()) {
      throw new IllegalArgumentException("target " + to + " does not resolve; give an IP address");
    }
    return protocol == TransportProtocol.TCP ? new TcpExposure(tcp(), virtualPort, to)
        : new UdpExposure(udp, virtualPort, to);
  }

  @Override
  public TransportForward forward(TransportProtocol protocol, int loopbackPort, String virtualIp, int port)
      throws IOException {
    Objects.requireNonNull(protocol, "protocol");
    checkPort(port);
    if (loopbackPort < 0 || loopbackPort > 65535) {
      throw new IllegalArgumentException("loopback port must be 0..65535: " + loopbackPort);
    }
    int ip = Ipv4Udp.parseAddress(virtualIp);
    return protocol == TransportProtocol.TCP ? new TcpForward(tcp(), loopbackPort, ip, port)
        : new UdpForward(udp, loopbackPort, ip, port);
  }

  @Override
  public PartyStreamSocket connect(String virtualIp, int port, Duration timeout)
      throws IOException, InterruptedException {
    checkPort(port);
    TcpConnection c = tcp().connect(Ipv4Udp.parseAddress(virtualIp), port);
    BlockingTcp.awaitEstablished(c, Math.max(1, timeout.toNanos()));
    return new EmbeddedStreamSocket(c);
  }

  @Override
  public PartyServerSocket listen(int port) throws IOException {
    checkPort(port);
    return new EmbeddedServerSocket(tcp().listen(port));
  }

  @Override
  public PartyDatagramSocket openDatagramSocket(int port) throws IOException {
    return udp.openDatagramSocket(port);
  }

  @Override
  public PortForward forwardUdp(int loopbackPort, String virtualIp, int port) throws IOException {
    return forward(TransportProtocol.UDP, loopbackPort, virtualIp, port);
  }

  private static void checkPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535: " + port);
    }
  }
}
