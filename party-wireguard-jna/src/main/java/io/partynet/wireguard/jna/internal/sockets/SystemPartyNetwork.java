package io.partynet.wireguard.jna.internal.sockets;

import io.partynet.PartyDatagramSocket;
import io.partynet.PartyServerSocket;
import io.partynet.PartyStreamSocket;
import io.partynet.PortExposure;
import io.partynet.TransportForward;
import io.partynet.TransportProtocol;
import io.partynet.core.internal.connection.OsDatagramSocket;
import io.partynet.spi.PartyNetwork;
import io.partynet.wireguard.jna.internal.netlink.NetworkNamespace;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link PartyNetwork} for a backend whose virtual interface belongs to the operating system:
 * every socket is an OS socket bound to the virtual IP, so the kernel routes it through the
 * WireGuard interface. An expose relays from the virtual IP to the local server unless the server
 * already listens on all addresses (then binding the virtual IP and port fails because the server
 * holds it, and the expose is a {@linkplain PortExposure#passthrough() passthrough}); a forward
 * relays a loopback port to {@code virtualIp:port} from the virtual IP. One instance per interface
 * bring-up; {@link #close()} (interface down) ends every expose and forward. When the backend
 * works in another network namespace, every socket is opened there (a socket keeps the namespace
 * it was made in, and the relay threads started there stay in it). Thread-safe.
 */
public final class SystemPartyNetwork implements PartyNetwork, AutoCloseable {
  private static final int BACKLOG = 256;
  private static final int PASSTHROUGH_PROBE_MILLIS = 2_000;
  private static final Duration NAMESPACE_SLACK = Duration.ofSeconds(10);

  private final InetAddress virtualIp;
  private final Optional<NetworkNamespace> namespace;
  private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** For the interface's own address, e.g. {@code 10.77.0.2}, in {@code namespace} (empty: the JVM's own). */
  public SystemPartyNetwork(String virtualIp, Optional<NetworkNamespace> namespace) {
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    try {
      this.virtualIp = InetAddress.getByName(requireIpv4Literal(virtualIp));
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("not an IPv4 address: " + virtualIp, e);
    }
  }

  @Override
  public String localIp() {
    return virtualIp.getHostAddress();
  }

  @Override
  public PortExposure expose(TransportProtocol protocol, int virtualPort, InetSocketAddress target)
      throws IOException {
    return inNamespace(() -> exposeHere(protocol, virtualPort, target), Duration.ZERO);
  }

  private PortExposure exposeHere(TransportProtocol protocol, int virtualPort, InetSocketAddress target)
      throws IOException {
    Objects.requireNonNull(protocol, "protocol");
    checkPort(virtualPort, 1);
    ensureOpen();
    InetSocketAddress to = target != null ? target : new InetSocketAddress(InetAddress.getLoopbackAddress(), virtualPort);
    if (to.isUnresolved()) {
      throw new IllegalArgumentException("target " + to + " does not resolve; give an IP address");
    }
    InetSocketAddress on = new InetSocketAddress(virtualIp, virtualPort);
    String name = "partynet-expose-" + protocol.name().toLowerCase(java.util.Locale.ROOT) + "-" + virtualPort;
    AutoCloseable relay;
    try {
      if (protocol == TransportProtocol.TCP) {
        ServerSocket server = new ServerSocket();
        relay = bindOrClose(server, () -> server.bind(on, BACKLOG), () -> new TcpRelay(server, to, null, name));
      } else {
        DatagramSocket socket = new DatagramSocket(null);
        InetAddress dialFrom = to.getAddress().isLoopbackAddress() ? to.getAddress() : null;
        relay = bindOrClose(socket, () -> socket.bind(on), () -> new UdpRelay(socket, to, dialFrom, name));
      }
    } catch (BindException taken) {
      if (!servesVirtualIpItself(protocol, to, virtualPort)) {
        throw new BindException("port " + virtualPort + " of " + localIp() + " is taken by another program ("
            + taken.getMessage() + "); stop it or expose another port");
      }
      relay = null;
    }
    return track(new SystemExposure(protocol, virtualPort, to, relay, open::remove));
  }

  /**
   * Whether the program holding {@code virtualPort} on the virtual IP is the target itself, i.e. it
   * listens on all addresses: the target is that same port on loopback or the wildcard address,
   * and (TCP) a connection to the virtual IP and port is accepted.
   */
  private boolean servesVirtualIpItself(TransportProtocol protocol, InetSocketAddress target, int virtualPort) {
    InetAddress address = target.getAddress();
    if (target.getPort() != virtualPort || !(address.isLoopbackAddress() || address.isAnyLocalAddress())) {
      return false;
    }
    if (protocol == TransportProtocol.UDP) {
      return true; // UDP cannot be probed without speaking the game's protocol; the port is held, so it is served
    }
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress(virtualIp, virtualPort), PASSTHROUGH_PROBE_MILLIS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public TransportForward forward(TransportProtocol protocol, int loopbackPort, String toIp, int port)
      throws IOException {
    return inNamespace(() -> forwardHere(protocol, loopbackPort, toIp, port), Duration.ZERO);
  }

  private TransportForward forwardHere(TransportProtocol protocol, int loopbackPort, String toIp, int port)
      throws IOException {
    Objects.requireNonNull(protocol, "protocol");
    checkPort(loopbackPort, 0);
    checkPort(port, 1);
    ensureOpen();
    InetSocketAddress destination = new InetSocketAddress(InetAddress.getByName(requireIpv4Literal(toIp)), port);
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), loopbackPort);
    String name = "partynet-forward-" + protocol.name().toLowerCase(java.util.Locale.ROOT) + "-" + port;
    if (protocol == TransportProtocol.TCP) {
      ServerSocket server = new ServerSocket();
      TcpRelay relay = bindOrClose(server, () -> server.bind(loopback, BACKLOG),
          () -> new TcpRelay(server, destination, virtualIp, name));
      return track(new SystemForward(relay, toIp, port, open::remove));
    }
    DatagramSocket socket = new DatagramSocket(null);
    UdpRelay relay = bindOrClose(socket, () -> socket.bind(loopback),
        () -> new UdpRelay(socket, destination, virtualIp, name));
    return track(new SystemForward(relay, toIp, port, open::remove));
  }

  @Override
  public PartyStreamSocket connect(String toIp, int port, Duration timeout) throws IOException {
    return inNamespace(() -> connectHere(toIp, port, timeout), timeout);
  }

  private PartyStreamSocket connectHere(String toIp, int port, Duration timeout) throws IOException {
    checkPort(port, 1);
    ensureOpen();
    InetSocketAddress destination = new InetSocketAddress(InetAddress.getByName(requireIpv4Literal(toIp)), port);
    SocketChannel channel = SocketChannel.open();
    try {
      channel.bind(new InetSocketAddress(virtualIp, 0));
      channel.socket().connect(destination, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
      return new SystemStreamSocket(channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public PartyServerSocket listen(int port) throws IOException {
    return inNamespace(() -> listenHere(port), Duration.ZERO);
  }

  private PartyServerSocket listenHere(int port) throws IOException {
    checkPort(port, 1);
    ensureOpen();
    ServerSocketChannel server = ServerSocketChannel.open();
    try {
      server.bind(new InetSocketAddress(virtualIp, port), BACKLOG);
      return new SystemServerSocket(server);
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  @Override
  public PartyDatagramSocket openDatagramSocket(int port) throws IOException {
    return inNamespace(() -> openDatagramSocketHere(port), Duration.ZERO);
  }

  private PartyDatagramSocket openDatagramSocketHere(int port) throws IOException {
    checkPort(port, 0);
    ensureOpen();
    return OsDatagramSocket.bind(localIp(), port);
  }

  /** Ends every expose and forward (the interface goes down); sockets handed out fail on their own. */
  @Override
  public void close() {
    closed = true;
    for (AutoCloseable c : open) {
      SocketPump.closeQuietly(c);
    }
    open.clear();
  }

  /** Runs {@code action} in the backend's namespace (bounded by {@code longest} plus some slack), or here. */
  private <T> T inNamespace(NetworkNamespace.Action<T> action, Duration longest) throws IOException {
    if (namespace.isEmpty()) {
      return action.run();
    }
    return namespace.get().call(action, longest.plus(NAMESPACE_SLACK));
  }

  private <T extends AutoCloseable> T track(T mapping) {
    open.add(mapping);
    if (closed) {
      SocketPump.closeQuietly(mapping);
      open.remove(mapping);
    }
    return mapping;
  }

  private void ensureOpen() throws SocketException {
    if (closed) {
      throw new SocketException("the party network interface is down");
    }
  }

  private interface Bind {
    void run() throws IOException;
  }

  private interface Make<T> {
    T make() throws IOException;
  }

  private static <T> T bindOrClose(AutoCloseable socket, Bind bind, Make<T> make) throws IOException {
    try {
      bind.run();
      return make.make();
    } catch (IOException | RuntimeException e) {
      SocketPump.closeQuietly(socket);
      throw e;
    }
  }

  private static String requireIpv4Literal(String ip) {
    Objects.requireNonNull(ip, "virtual IP");
    if (!ip.matches("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}")) {
      throw new IllegalArgumentException("a virtual IP is an IPv4 address like 10.77.0.2, got '" + ip + "'");
    }
    return ip;
  }

  private static void checkPort(int port, int min) {
    if (port < min || port > 65535) {
      throw new IllegalArgumentException("port must be " + min + "..65535: " + port);
    }
  }
}
