package io.partynet.wireguard.embedded.internal;

import io.partynet.Key;
import io.partynet.PartyDatagramSocket;
import io.partynet.PartyServerSocket;
import io.partynet.PartyStreamSocket;
import io.partynet.PortExposure;
import io.partynet.PortForward;
import io.partynet.TransportForward;
import io.partynet.TransportProtocol;
import io.partynet.spi.InterfaceConfig;
import io.partynet.spi.NetworkBackend;
import io.partynet.spi.PeerConfig;
import io.partynet.spi.PartyNetwork;
import io.partynet.spi.PeerStats;
import io.partynet.spi.UserspaceNetwork;
import io.partynet.wireguard.embedded.internal.device.Device;
import io.partynet.wireguard.embedded.internal.device.SharedSocketHook;
import io.partynet.wireguard.embedded.internal.forward.EmbeddedNetwork;
import io.partynet.wireguard.embedded.internal.forward.EmbeddedPartyNetwork;
import io.partynet.wireguard.embedded.internal.stack.NetworkStack;
import io.partynet.wireguard.embedded.internal.stack.StackCounters;
import io.partynet.wireguard.embedded.internal.stack.tcp.TcpConfig;
import io.partynet.wireguard.embedded.internal.ip.Ipv4Udp;
import io.partynet.wireguard.embedded.internal.noise.StaticIdentity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link NetworkBackend} that runs the WireGuard protocol in the JVM over one UDP socket it owns:
 * no kernel module, no TUN device, no root. Interoperates with any WireGuard implementation.
 * Applications use {@link #partyNetwork()}: a userspace IPv4 stack (TCP, UDP, ICMP) on the local
 * virtual IP carries exposes of local servers, loopback forwards to peers and TCP/UDP sockets.
 *
 * <pre>{@code
 * EmbeddedBackend wg = EmbeddedBackend.builder().build();
 * int port = wg.up(new InterfaceConfig("party0", myPrivateKey, 0, IpPrefix.parse("10.77.0.2/16"), 1420));
 * wg.addPeer(new PeerConfig(hostKey, null, Endpoint.parse("203.0.113.7:51820"),
 *     List.of(IpPrefix.parse("10.77.0.1/32")), 25));
 * try (PartyDatagramSocket s = wg.userspaceNetwork().orElseThrow().openDatagramSocket(7777)) {
 *   s.send("10.77.0.1", 7777, ByteBuffer.wrap("hello".getBytes()));
 * }
 * }</pre>
 *
 * <p>Thread-safe. Per backend one receive thread (socket, handshakes, decryption), one delivery
 * thread (the stack) and one send thread (encryption); see {@code Device}.
 */
public final class EmbeddedBackend implements NetworkBackend {
  public static final String NAME = "embedded";
  /** Handshake messages per second above which the backend demands cookies (wireguard-go's "under load"). */
  public static final int DEFAULT_UNDER_LOAD_THRESHOLD = 64;

  private final Clock clock;
  private final SecureRandom random;
  private final InetAddress bindAddress;
  private final int underLoadThreshold;
  private volatile Device device;
  private volatile EmbeddedNetwork network;
  private volatile EmbeddedPartyNetwork partyNetwork;
  private final TcpConfig tcpConfig;
  private volatile SharedSocketHook pendingHook = SharedSocketHook.NONE;
  private final UserspaceNetwork userspaceNetwork = new UserspaceNetwork() {
    @Override
    public PartyDatagramSocket openDatagramSocket(int port) throws IOException {
      return requireNetwork().openDatagramSocket(port);
    }

    @Override
    public PortForward forwardUdp(int loopbackPort, String virtualIp, int port) throws IOException {
      return requireParty().forwardUdp(loopbackPort, virtualIp, port);
    }
  };
  private final PartyNetwork partyNetworkView = new PartyNetwork() {
    @Override
    public String localIp() {
      EmbeddedPartyNetwork p = partyNetwork;
      if (p == null) {
        throw new IllegalStateException("the embedded WireGuard interface is not up; call up() first");
      }
      return p.localIp();
    }

    @Override
    public PortExposure expose(TransportProtocol protocol, int virtualPort, java.net.InetSocketAddress target)
        throws IOException {
      return requireParty().expose(protocol, virtualPort, target);
    }

    @Override
    public TransportForward forward(TransportProtocol protocol, int loopbackPort, String virtualIp, int port)
        throws IOException {
      return requireParty().forward(protocol, loopbackPort, virtualIp, port);
    }

    @Override
    public PartyStreamSocket connect(String virtualIp, int port, Duration timeout)
        throws IOException, InterruptedException {
      return requireParty().connect(virtualIp, port, timeout);
    }

    @Override
    public PartyServerSocket listen(int port) throws IOException {
      return requireParty().listen(port);
    }

    @Override
    public PartyDatagramSocket openDatagramSocket(int port) throws IOException {
      return requireParty().openDatagramSocket(port);
    }
  };

  private EmbeddedBackend(Builder b) {
    this.clock = b.clock;
    this.random = b.random;
    this.bindAddress = b.bindAddress;
    this.underLoadThreshold = b.underLoadThreshold;
    this.tcpConfig = b.tcpConfig;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public synchronized int up(InterfaceConfig config) throws IOException {
    if (device != null) {
      throw new IOException("embedded interface " + config.name() + " is already up; close() it first");
    }
    if (!config.address().isIpv4()) {
      throw new IOException("the embedded backend carries IPv4 virtual addresses only: " + config.address());
    }
    InetSocketAddress bind = bindAddress == null ? new InetSocketAddress(config.listenPort())
        : new InetSocketAddress(bindAddress, config.listenPort());
    Device d = Device.start(new StaticIdentity(config.privateKey().toBytes()), bind, clock, random, config.mtu(),
        underLoadThreshold);
    int localIp = Ipv4Udp.parseAddress(config.address().address());
    EmbeddedNetwork n = new EmbeddedNetwork(d, localIp, config.mtu());
    TcpConfig tcp = tcpConfig != null ? tcpConfig : TcpConfig.defaults(config.mtu());
    NetworkStack stack = new NetworkStack(localIp, config.mtu(), tcp, d::send, n, System::nanoTime, random, true);
    d.setPacketSink(stack);
    d.setSharedSocketHook(pendingHook);
    network = n;
    partyNetwork = new EmbeddedPartyNetwork(stack, n);
    device = d;
    return d.localPort();
  }

  @Override
  public void addPeer(PeerConfig peer) throws IOException {
    requireDevice().addOrUpdatePeer(peer);
  }

  @Override
  public void updatePeer(PeerConfig peer) throws IOException {
    Device d = requireDevice();
    if (!d.hasPeer(peer.publicKey())) {
      throw new IOException("no such peer to update; addPeer() it first");
    }
    d.addOrUpdatePeer(peer);
  }

  @Override
  public void removePeer(Key publicKey) throws IOException {
    requireDevice().removePeer(publicKey);
  }

  @Override
  public List<PeerStats> peerStats() throws IOException {
    return requireDevice().peerStats();
  }

  @Override
  public boolean isUp() {
    return device != null;
  }

  /** The address set by {@code embedded.bind-address}; empty when bound to every address. */
  @Override
  public Optional<InetAddress> listenAddress() {
    return Optional.ofNullable(bindAddress);
  }

  /**
   * Datagram sockets and port forwards on the local virtual IP. Always present (this backend is a
   * userspace one); its calls throw {@link SocketException} while the interface is not up.
   */
  @Override
  public Optional<UserspaceNetwork> userspaceNetwork() {
    return Optional.of(userspaceNetwork);
  }

  /**
   * Exposes, forwards, TCP and UDP sockets on the local virtual IP through the userspace stack.
   * Always present; its calls throw {@link SocketException} while the interface is not up.
   */
  @Override
  public Optional<PartyNetwork> partyNetwork() {
    return Optional.of(partyNetworkView);
  }

  /** Pings {@code virtualIp} (ICMP echo) through the tunnel; true when the reply came within {@code timeout}. */
  public boolean ping(String virtualIp, Duration timeout) throws IOException, InterruptedException {
    return requireParty().stack().ping(Ipv4Udp.parseAddress(virtualIp), 56, timeout);
  }

  /** What the userspace IP stack dropped or answered (floods, malformed packets, pings...). */
  public StackCounters stackCounters() throws IOException {
    return requireParty().stack().counters();
  }

  /** Why datagrams were dropped (replays, wrong keys, source filtering...), since {@link #up}. */
  public EmbeddedCounters counters() throws IOException {
    return requireDevice().counters();
  }

  /** Authenticated packets that no socket took (closed port, not for the local IP, malformed IP/UDP). */
  public long undeliverablePackets() throws IOException {
    return requireNetwork().undeliverablePackets();
  }

  /**
   * Lets the NAT traversal layer share the WireGuard socket: {@code hook} receives every datagram
   * that is not a WireGuard message; send with {@link #sendRaw}. May be set before {@link #up}.
   */
  public void setSharedSocketHook(SharedSocketHook hook) {
    pendingHook = hook == null ? SharedSocketHook.NONE : hook;
    Device d = device;
    if (d != null) {
      d.setSharedSocketHook(pendingHook);
    }
  }

  /** Sends a datagram (STUN, TURN) unchanged from the WireGuard socket. */
  public void sendRaw(ByteBuffer datagram, InetSocketAddress target) throws IOException {
    requireDevice().sendRaw(datagram, target);
  }

  /** Fires due protocol timers now (normally done every 50 ms); for tests that move a fake clock. */
  public void runTimers() throws IOException {
    requireDevice().tick();
  }

  private EmbeddedNetwork requireNetwork() throws IOException {
    EmbeddedNetwork n = network;
    if (n == null) {
      throw new SocketException("the embedded WireGuard interface is not up; call up() first");
    }
    return n;
  }

  private EmbeddedPartyNetwork requireParty() throws SocketException {
    EmbeddedPartyNetwork p = partyNetwork;
    if (p == null) {
      throw new SocketException("the embedded WireGuard interface is not up; call up() first");
    }
    return p;
  }

  private Device requireDevice() throws IOException {
    Device d = device;
    if (d == null) {
      throw new SocketException("the embedded WireGuard interface is not up; call up() first");
    }
    return d;
  }

  @Override
  public synchronized void close() {
    Device d = device;
    EmbeddedPartyNetwork p = partyNetwork;
    device = null;
    network = null;
    partyNetwork = null;
    if (p != null) {
      p.stack().close();
    }
    if (d != null) {
      d.close();
    }
  }

  /** Options of an {@link EmbeddedBackend}; every one has a default. Not thread-safe. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private SecureRandom random = new SecureRandom();
    private InetAddress bindAddress;
    private int underLoadThreshold = DEFAULT_UNDER_LOAD_THRESHOLD;
    private TcpConfig tcpConfig;

    private Builder() {}

    /** Buffers, limits and timers of the userspace TCP; by default {@link TcpConfig#defaults} for the MTU. */
    public Builder tcpConfig(TcpConfig config) {
      this.tcpConfig = Objects.requireNonNull(config, "config");
      return this;
    }

    /** The clock timers and handshake timestamps follow (tests move a fake one). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder random(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** The local address the UDP socket binds; all addresses by default. */
    public Builder bindAddress(InetAddress bindAddress) {
      this.bindAddress = bindAddress;
      return this;
    }

    /** Handshake messages per second before cookies are demanded; 0 demands them always. */
    public Builder underLoadThreshold(int perSecond) {
      if (perSecond < 0) {
        throw new IllegalArgumentException("under-load threshold must be >= 0: " + perSecond);
      }
      this.underLoadThreshold = perSecond;
      return this;
    }

    public EmbeddedBackend build() {
      return new EmbeddedBackend(this);
    }
  }
}
