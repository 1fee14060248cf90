package io.partynet.wireguard.embedded.internal.device;

import io.partynet.Key;
import io.partynet.spi.InterfaceConfig;
import io.partynet.spi.PeerConfig;
import io.partynet.spi.PeerStats;
import io.partynet.wireguard.embedded.internal.EmbeddedCounters;
import io.partynet.wireguard.embedded.internal.ip.AllowedIps;
import io.partynet.wireguard.embedded.internal.ip.Ipv4Udp;
import io.partynet.wireguard.embedded.internal.noise.HandshakeException;
import io.partynet.wireguard.embedded.internal.noise.Messages;
import io.partynet.wireguard.embedded.internal.noise.StaticIdentity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WireGuard device on one UDP {@link DatagramChannel}: a single receive thread decrypts and
 * dispatches everything that arrives ({@link TransportReceiver} decrypts data into a
 * {@link DeliveryStage}, whose thread hands it to the {@link PacketSink} in order; non-WireGuard
 * datagrams go to the {@link SharedSocketHook}); transport packets are sealed and sent by one
 * {@link SendStage} thread, handshake messages directly by the thread that makes them. Timers run on the
 * receive thread every {@value #TICK_MILLIS} ms from the injected {@link Clock}; tests may also call
 * {@link #tick()} after moving a fake clock.
 *
 * <p>Thread-safe.
 */
public final class Device implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Device.class);
  static final long TICK_MILLIS = 50;
  private static final int MAX_DATAGRAM = 65535;
  /** Delivery slots hold at least an Ethernet-sized packet whatever the MTU: common peers never take the slow path. */
  private static final int MIN_DELIVERY_SLOT = 1500;
  private static final java.util.function.Consumer<SelectionKey> IGNORE_KEY = key -> { };

  private final StaticIdentity identity;
  private final DatagramChannel channel;
  private final Selector selector;
  private final Clock clock;
  private final SecureRandom random;
  private final int mtu;
  private final Map<Key, Peer> peers = new ConcurrentHashMap<>();
  private volatile Peer[] peerSnapshot = new Peer[0];
  private final AllowedIps<Peer> routes = new AllowedIps<>();
  private final IndexTable indices;
  private final HandshakeReceiver handshakeReceiver;
  private final Thread receiveThread;
  private volatile boolean running = true;
  private volatile PacketSink sink = PacketSink.DISCARD;
  private volatile SharedSocketHook hook = SharedSocketHook.NONE;

  private final DeviceCounters counters = new DeviceCounters();
  private final SendStage sendStage;
  private final DeliveryStage deliveryStage;
  private final TransportReceiver transportReceiver;

  // Receive-thread-only state, reused for every datagram.
  private final byte[] receiveBytes = new byte[MAX_DATAGRAM];
  private final ByteBuffer receiveBuffer = ByteBuffer.wrap(receiveBytes);
  private long nextTick;

  private Device(StaticIdentity identity, DatagramChannel channel, Clock clock, SecureRandom random, int mtu,
      int underLoadThreshold) throws IOException {
    this.identity = identity;
    this.channel = channel;
    this.clock = clock;
    this.random = random;
    this.mtu = mtu;
    this.indices = new IndexTable(random);
    this.handshakeReceiver = new HandshakeReceiver(identity, peers, indices, counters, random, underLoadThreshold,
        this::transmit);
    channel.configureBlocking(false);
    this.selector = Selector.open();
    DeliveryStage delivery = null;
    try {
      channel.register(selector, SelectionKey.OP_READ);
      delivery = new DeliveryStage("partynet-wg-deliver-" + localPort(), DeliveryStage.DEFAULT_SLOTS,
          Math.max(mtu, MIN_DELIVERY_SLOT), DeliveryStage.FULL_WAIT_NANOS, () -> sink);
      this.deliveryStage = delivery;
      // room for padding to 16 bytes beyond an MTU that is not a multiple of 16
      this.sendStage = new SendStage("partynet-wg-send-" + localPort(), SendStage.DEFAULT_SLOTS, mtu + 16,
          SendStage.FULL_WAIT_NANOS, this::transmit);
    } catch (IOException | RuntimeException | Error e) {
      // A stage's thread is already running: stop it, or it stays parked for the JVM's lifetime.
      if (delivery != null) {
        delivery.close();
      }
      selector.close();
      throw e;
    }
    this.transportReceiver = new TransportReceiver(indices, routes, counters, () -> sink, deliveryStage, MAX_DATAGRAM);
    this.receiveThread = new Thread(this::receiveLoop, "partynet-wg-embedded-" + localPort());
    this.receiveThread.setDaemon(true);
  }

  /**
   * Binds a UDP socket and starts the receive thread.
   *
   * @param underLoadThreshold handshake messages per second above which MAC2 (a cookie) is demanded;
   *     0 demands it always
   */
  public static Device start(StaticIdentity identity, InetSocketAddress bind, Clock clock, SecureRandom random,
      int mtu, int underLoadThreshold) throws IOException {
    // the same bounds as InterfaceConfig, for callers inside the module that build no config
    if (mtu < InterfaceConfig.MIN_MTU || mtu > InterfaceConfig.MAX_MTU) {
      throw new IllegalArgumentException(
          "the MTU must be " + InterfaceConfig.MIN_MTU + ".." + InterfaceConfig.MAX_MTU + ", not " + mtu);
    }
    DatagramChannel channel = DatagramChannel.open();
    try {
      // Room for bursts: the receive thread may be descheduled while a peer keeps sending.
      channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
      channel.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 4 << 20);
      channel.bind(bind);
      Device device = new Device(identity, channel, clock, random, mtu, underLoadThreshold);
      try {
        device.receiveThread.start();
      } catch (RuntimeException | Error e) {
        device.close();
        throw e;
      }
      return device;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  public int localPort() {
    try {
      return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    } catch (IOException e) {
      return 0;
    }
  }

  public void setPacketSink(PacketSink sink) {
    this.sink = sink == null ? PacketSink.DISCARD : sink;
  }

  public void setSharedSocketHook(SharedSocketHook hook) {
    this.hook = hook == null ? SharedSocketHook.NONE : hook;
  }

  // ---- configuration ----

  public void addOrUpdatePeer(PeerConfig config) throws IOException {
    long now = nowNanos();
    try {
      Peer peer = peers.get(config.publicKey());
      if (peer == null) {
        if (config.publicKey().equals(Key.fromBytes(identity.publicKey()))) {
          throw new IOException("a peer cannot have the interface's own public key");
        }
        peer = new Peer(this, config.publicKey(), config.presharedKey());
        peers.put(config.publicKey(), peer);
        peerSnapshot = peers.values().toArray(new Peer[0]);
      }
      routes.removeValue(peer);
      for (var prefix : config.allowedIps()) {
        routes.insert(prefix, peer);
      }
      peer.configure(config.presharedKey(), config.endpoint() == null ? null : config.endpoint().toSocketAddress(),
          config.persistentKeepaliveSeconds(), now);
    } catch (HandshakeException e) {
      throw new IOException("peer public key is not a usable Curve25519 key: " + e.getMessage(), e);
    }
  }

  public boolean hasPeer(Key publicKey) {
    return peers.containsKey(publicKey);
  }

  public void removePeer(Key publicKey) {
    Peer peer = peers.remove(publicKey);
    if (peer != null) {
      peerSnapshot = peers.values().toArray(new Peer[0]);
      routes.removeValue(peer);
      peer.zeroKeyMaterial();
      indices.removePeer(peer);
    }
  }

  public List<PeerStats> peerStats() {
    List<PeerStats> stats = new ArrayList<>();
    for (Peer p : peerSnapshot) {
      stats.add(p.stats());
    }
    return stats;
  }

  public EmbeddedCounters counters() {
    return counters.snapshot(sendStage.dropped(), deliveryStage.dropped());
  }

  // ---- data path ----

  /**
   * Routes an IP packet to the peer whose allowed IPs hold its destination (longest prefix match)
   * and sends it through the tunnel.
   *
   * @return false when no peer's allowed IPs contain the destination (the packet is dropped)
   */
  public boolean send(byte[] packet, int offset, int length) {
    if (length < 20 || length > mtu) {
      throw new IllegalArgumentException("IP packet of " + length + " bytes; must be 20.." + mtu + " (the MTU)");
    }
    int version = (packet[offset] & 0xff) >>> 4;
    Peer peer;
    if (version == 4) {
      peer = routes.lookupIpv4(Ipv4Udp.destinationAddress(packet, offset));
    } else if (version == 6 && length >= 40) {
      peer = routes.lookup(packet, offset + 24, 16);
    } else {
      return false;
    }
    if (peer == null) {
      return false;
    }
    peer.send(packet, offset, length);
    return true;
  }

  /** Sends a datagram from the WireGuard socket unchanged (for STUN/TURN sharing the socket). */
  public void sendRaw(ByteBuffer datagram, InetSocketAddress target) throws IOException {
    channel.send(datagram, target);
  }

  void transmit(ByteBuffer datagram, InetSocketAddress target) {
    try {
      channel.send(datagram, target);
    } catch (ClosedChannelException e) {
      LOG.debug("device closed; dropping datagram to {}", target);
    } catch (IOException e) {
      LOG.debug("sending to {} failed: {}", target, e.getMessage());
    }
  }

  /** Fires due timers of every peer. Called by the receive thread; tests call it after moving a fake clock. */
  public void tick() {
    long now = nowNanos();
    for (Peer p : peerSnapshot) {
      p.tick(now);
    }
  }

  // ---- receive path ----

  private void receiveLoop() {
    while (running) {
      try {
        // The Consumer form of select() does not fill the selected-key set, which allocates.
        selector.select(IGNORE_KEY, TICK_MILLIS);
        while (running) {
          receiveBuffer.clear();
          SocketAddress source = channel.receive(receiveBuffer);
          if (source == null) {
            break;
          }
          handleDatagram(receiveBuffer.position(), (InetSocketAddress) source);
        }
        long nowMillis = clock.millis();
        if (nowMillis >= nextTick) {
          nextTick = nowMillis + TICK_MILLIS;
          tick();
        }
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException | RuntimeException e) {
        if (running) {
          LOG.warn("embedded WireGuard receive loop error (continuing): {}", e.toString());
        }
      }
    }
  }

  private void handleDatagram(int length, InetSocketAddress source) {
    int type = Messages.typeOf(receiveBytes, 0, length);
    if (type == 0) {
      counters.nonWireGuard.incrementAndGet();
      receiveBuffer.flip();
      hook.onDatagram(DatagramKind.classify(receiveBytes, 0, length), receiveBuffer, source);
      return;
    }
    long now = nowNanos();
    try {
      switch (type) {
        case Messages.TYPE_TRANSPORT -> transportReceiver.receive(receiveBytes, length, source, now);
        case Messages.TYPE_INITIATION, Messages.TYPE_RESPONSE, Messages.TYPE_COOKIE_REPLY ->
            handshakeReceiver.receive(type, receiveBytes, length, source, now);
        default -> throw new IllegalStateException("unreachable message type " + type);
      }
    } catch (HandshakeException e) {
      counters.invalidHandshakes.incrementAndGet();
      LOG.debug("dropped handshake message from {}: {}", source, e.getMessage());
    }
  }

  void handshakeCompleted() {
    counters.handshakesCompleted.incrementAndGet();
  }

  // ---- shared with peers ----

  StaticIdentity identity() {
    return identity;
  }

  IndexTable indices() {
    return indices;
  }

  SecureRandom random() {
    return random;
  }

  Clock clock() {
    return clock;
  }

  int mtu() {
    return mtu;
  }

  SendStage sendStage() {
    return sendStage;
  }

  long nowNanos() {
    return clock.millis() * 1_000_000L;
  }

  public boolean isOpen() {
    return running;
  }

  @Override
  public void close() {
    running = false;
    selector.wakeup();
    sendStage.close();
    deliveryStage.close();
    try {
      receiveThread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      selector.close();
      channel.close();
    } catch (IOException e) {
      LOG.debug("closing the WireGuard socket: {}", e.getMessage());
    }
    for (Peer p : peerSnapshot) {
      p.zeroKeyMaterial();
    }
  }
}
