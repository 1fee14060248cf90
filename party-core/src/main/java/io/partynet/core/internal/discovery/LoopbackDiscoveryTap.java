package io.partynet.core.internal.discovery;

import io.partynet.PartyDatagram;
import io.partynet.PartyDatagramSocket;
import io.partynet.spi.UserspaceNetwork;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovery for the embedded backend, with ordinary sockets only (no admin rights; the virtual IP
 * is on no host interface). See docs/lan-discovery.md.
 *
 * <p><b>Capture</b> (only when {@code discovery.embedded-join-groups} is true, since joining sends
 * IGMP reports on the LAN): multicast groups only, each with a socket bound to the group address
 * itself ({@code SO_REUSEADDR}) and joined on every multicast interface, so it never takes unicast
 * datagrams meant for the game's own socket. Broadcasts are not captured: a socket on a game's
 * broadcast port would keep a game that binds it without {@code SO_REUSEADDR} from starting.
 *
 * <p><b>Delivery and replies</b>: a small address translation on loopback. A remote program
 * {@code vip:port} is stood for by a <em>flow</em>, a loopback socket at {@code 127.b.c.d:port}
 * ({@code b.c.d} from the virtual IP; all of 127/8 is loopback on Linux and Windows). Deliveries are
 * sent from the flow to {@code 127.0.0.1:PORT} (every socket bound to 0.0.0.0:PORT receives a
 * unicast there). What a local program sends to the flow goes through the tunnel to
 * {@code vip:port} from an <em>endpoint</em>, a {@link UserspaceNetwork} socket on this member's
 * virtual IP at the local program's port; what arrives at that endpoint from {@code vip:port} comes
 * back to the local program from the flow. A captured announcement gets an endpoint too, so
 * answers to the announcer's port reach the announcer.
 *
 * <p>Thread-safe: one selector thread for loopback sockets, one receive thread per endpoint.
 */
public final class LoopbackDiscoveryTap implements DiscoveryTap {
  static final int MAX_FLOWS = 64;
  static final int MAX_ENDPOINTS = 64;
  private static final Duration RECEIVE_SLICE = Duration.ofMillis(500);
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Logger LOG = LoggerFactory.getLogger(LoopbackDiscoveryTap.class);

  private final UserspaceNetwork network;
  private final boolean joinGroups;
  private final Map<String, Flow> flows = new ConcurrentHashMap<>();
  private final Map<InetSocketAddress, Endpoint> endpoints = new ConcurrentHashMap<>();
  private final List<DatagramChannel> groupSockets = Collections.synchronizedList(new ArrayList<>());
  private final Selector selector;
  private volatile boolean closed;
  private volatile Consumer<LanDatagram> sink = d -> { };
  private Thread selectorThread;

  /** @param joinGroups capture local multicast announcements by joining the groups on the host's interfaces */
  public LoopbackDiscoveryTap(UserspaceNetwork network, boolean joinGroups) throws IOException {
    this.network = network;
    this.joinGroups = joinGroups;
    this.selector = Selector.open();
  }

  /** The loopback address that stands for {@code virtualIp}: 127 followed by its last three bytes. */
  static InetAddress standingAddress(String virtualIp) throws IOException {
    int ip = Ipv4.parse(virtualIp);
    return InetAddress.getByAddress(new byte[] {127, (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip});
  }

  @Override
  public String mode() {
    return "loopback";
  }

  @Override
  public synchronized void start(DiscoveryScope scope, Consumer<LanDatagram> sink) throws IOException {
    this.sink = sink;
    for (GroupPort group : joinGroups ? scope.groups() : java.util.Set.<GroupPort>of()) {
      try {
        groupSockets.add(openGroupSocket(group));
      } catch (IOException e) {
        LOG.warn("LAN discovery cannot listen to {}: {}", group, e.getMessage());
      }
    }
    selectorThread = new Thread(this::selectLoop, "partynet-discovery-loopback");
    selectorThread.setDaemon(true);
    selectorThread.start();
  }

  @Override
  public void deliver(LanDatagram datagram) throws IOException {
    flow(datagram.sourceIp(), datagram.sourcePort()).channel.send(ByteBuffer.wrap(datagram.payload()),
        new InetSocketAddress(LOOPBACK, datagram.destinationPort()));
  }

  @Override
  public void close() {
    closed = true;
    try {
      selector.close();
    } catch (IOException e) {
      LOG.debug("closing the discovery selector: {}", e.toString());
    }
    synchronized (groupSockets) {
      groupSockets.forEach(LoopbackDiscoveryTap::closeQuietly);
      groupSockets.clear();
    }
    flows.values().forEach(f -> closeQuietly(f.channel));
    flows.clear();
    endpoints.values().forEach(e -> e.socket.close());
    endpoints.clear();
  }

  private DatagramChannel openGroupSocket(GroupPort group) throws IOException {
    InetAddress address = InetAddress.getByName(group.group());
    DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
    try {
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      channel.bind(new InetSocketAddress(address, group.port()));
      int joined = 0;
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (nif.isUp() && nif.supportsMulticast() && nif.inetAddresses().anyMatch(a -> a instanceof Inet4Address)) {
          try {
            channel.join(address, nif);
            joined++;
          } catch (IOException e) {
            LOG.debug("cannot join {} on {}: {}", group, nif.getName(), e.getMessage());
          }
        }
      }
      if (joined == 0) {
        throw new IOException("no multicast interface to join " + group + " on");
      }
      channel.configureBlocking(false);
      register(channel, new Capture(group));
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private Flow flow(String virtualIp, int port) throws IOException {
    String key = virtualIp + ":" + port;
    Flow existing = flows.get(key);
    if (existing != null) {
      return existing;
    }
    synchronized (flows) {
      Flow created = flows.get(key);
      if (created == null) {
        if (flows.size() >= MAX_FLOWS) {
          throw new IOException("too many discovery flows (" + MAX_FLOWS + ")");
        }
        created = new Flow(virtualIp, port);
        flows.put(key, created);
      }
      return created;
    }
  }

  private Endpoint endpoint(InetSocketAddress localProgram) throws IOException {
    Endpoint existing = endpoints.get(localProgram);
    if (existing != null) {
      return existing;
    }
    synchronized (endpoints) {
      Endpoint created = endpoints.get(localProgram);
      if (created == null) {
        if (endpoints.size() >= MAX_ENDPOINTS) {
          throw new IOException("too many discovery endpoints (" + MAX_ENDPOINTS + ")");
        }
        created = new Endpoint(localProgram);
        endpoints.put(localProgram, created);
      }
      return created;
    }
  }

  /** Registration does not wait for a select in progress (JDK 11+); the wakeup makes it count at once. */
  private void register(DatagramChannel channel, Object attachment) throws IOException {
    channel.register(selector, SelectionKey.OP_READ, attachment);
    selector.wakeup();
  }

  private void selectLoop() {
    ByteBuffer buffer = ByteBuffer.allocate(65536);
    try {
      while (!closed) {
        selector.select(RECEIVE_SLICE.toMillis());
        for (SelectionKey key : selector.selectedKeys()) {
          DatagramChannel channel = (DatagramChannel) key.channel();
          SocketAddress from;
          while ((from = receive(channel, buffer.clear())) != null) {
            byte[] payload = new byte[buffer.flip().remaining()];
            buffer.get(payload);
            if (key.attachment() instanceof Capture c) {
              c.captured((InetSocketAddress) from, payload);
            } else if (key.attachment() instanceof Flow f) {
              f.fromLocalProgram((InetSocketAddress) from, payload);
            }
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException | ClosedSelectorException e) {
      if (!closed) {
        LOG.warn("LAN discovery on loopback stopped: {}", e.toString());
      }
    }
  }

  private static SocketAddress receive(DatagramChannel channel, ByteBuffer buffer) {
    try {
      return channel.receive(buffer);
    } catch (IOException e) {
      return null;
    }
  }

  private static void closeQuietly(DatagramChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("closing a discovery socket: {}", e.toString());
    }
  }

  /** A group socket: local announcements go to the relay, with an endpoint for their answers. */
  private final class Capture {
    private final GroupPort group;

    Capture(GroupPort group) {
      this.group = group;
    }

    void captured(InetSocketAddress from, byte[] payload) {
      if (from.getAddress().isLoopbackAddress() && !from.getAddress().equals(LOOPBACK)) {
        return; // a flow's address: a datagram of the party's, never relayed again
      }
      try {
        endpoint(new InetSocketAddress(LOOPBACK, from.getPort()));
      } catch (IOException e) {
        LOG.debug("answers to {} cannot come back: {}", from, e.getMessage());
      }
      sink.accept(new LanDatagram(from.getAddress().getHostAddress(), from.getPort(), group.group(), group.port(),
          payload));
    }
  }

  /** A loopback socket standing for the remote program {@code virtualIp:port}. */
  private final class Flow {
    final String virtualIp;
    final int port;
    final DatagramChannel channel;

    Flow(String virtualIp, int port) throws IOException {
      this.virtualIp = virtualIp;
      this.port = port;
      channel = DatagramChannel.open(StandardProtocolFamily.INET);
      try {
        channel.bind(new InetSocketAddress(standingAddress(virtualIp), port));
        channel.configureBlocking(false);
        register(channel, this);
      } catch (IOException e) {
        channel.close();
        throw e;
      }
    }

    /** A local program answers the remote one: through the tunnel, from the program's own port. */
    void fromLocalProgram(InetSocketAddress program, byte[] payload) {
      try {
        endpoint(program).socket.send(virtualIp, port, ByteBuffer.wrap(payload));
      } catch (IOException | RuntimeException e) {
        LOG.debug("answer from {} to {}:{} not sent: {}", program, virtualIp, port, e.toString());
      }
    }

    void toLocalProgram(InetSocketAddress program, byte[] payload) throws IOException {
      channel.send(ByteBuffer.wrap(payload), program);
    }
  }

  /** A socket on this member's virtual IP at a local program's port: the program's face in the party. */
  private final class Endpoint {
    final PartyDatagramSocket socket;

    Endpoint(InetSocketAddress program) throws IOException {
      PartyDatagramSocket opened;
      try {
        opened = network.openDatagramSocket(program.getPort());
      } catch (IOException e) {
        opened = network.openDatagramSocket(0);
      }
      socket = opened;
      Thread t = new Thread(() -> receiveLoop(program), "partynet-discovery-endpoint-" + program.getPort());
      t.setDaemon(true);
      t.start();
    }

    private void receiveLoop(InetSocketAddress program) {
      while (!closed) {
        try {
          PartyDatagram d = socket.receive(RECEIVE_SLICE);
          if (d != null) {
            flow(d.sourceIp(), d.sourcePort()).toLocalProgram(program, d.payload());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (IOException | RuntimeException e) {
          if (!closed) {
            LOG.debug("discovery endpoint for {}: {}", program, e.toString());
          }
        }
      }
    }
  }
}
