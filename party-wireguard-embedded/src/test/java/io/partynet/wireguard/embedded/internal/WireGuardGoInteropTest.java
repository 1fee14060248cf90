package io.partynet.wireguard.embedded.internal;

import io.partynet.testing.Eventually;
import io.partynet.testing.lab.LabProcess;
import io.partynet.testing.lab.LabTest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.PartyDatagram;
import io.partynet.PartyDatagramSocket;
import io.partynet.spi.InterfaceConfig;
import io.partynet.spi.PeerConfig;
import io.partynet.spi.PeerStats;
import io.partynet.wireguard.embedded.internal.crypto.X25519;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded backend against the reference userspace implementation: wireguard-go in a network
 * namespace, configured with {@code wg} and {@code ip}, with a real kernel UDP socket ({@link UdpEcho})
 * bound on its tunnel address. Needs root, wireguard-go, wireguard-tools and /dev/net/tun (CI has
 * them); skipped otherwise.
 */
@LabTest(needs = LabTest.Need.WIREGUARD_GO)
class WireGuardGoInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int ECHO_PORT = 9000;
  private static final int LOCAL_PORT = 5000;

  private final SecureRandom random = new SecureRandom();
  private final MutableClock clock = new MutableClock();
  private final Key embeddedPrivate = Key.fromBytes(X25519.generatePrivateKey(random));
  private final Key embeddedPublic = Key.fromBytes(X25519.publicKey(embeddedPrivate.toBytes()));
  private final Key wgPrivate = Key.fromBytes(X25519.generatePrivateKey(random));
  private final Key wgPublic = Key.fromBytes(X25519.publicKey(wgPrivate.toBytes()));
  private final int wgPort = 41000 + random.nextInt(2000);
  private WireGuardGoLab lab;
  private EmbeddedBackend backend;
  private int embeddedPort;
  private PartyDatagramSocket socket;

  @BeforeEach
  void setUp() throws IOException {
    lab = new WireGuardGoLab();
    lab.createNamespace();
    backend = EmbeddedBackend.builder().clock(clock).bindAddress(InetAddress.getByName(lab.rootAddress())).build();
    embeddedPort = backend.up(new InterfaceConfig(lab.interfaceName("e"), embeddedPrivate, 0,
        IpPrefix.parse(lab.embeddedTunnelAddress() + "/24"), 1420));
    socket = backend.userspaceNetwork().orElseThrow().openDatagramSocket(LOCAL_PORT);
  }

  @AfterEach
  void tearDown() {
    if (socket != null) {
      socket.close();
    }
    if (backend != null) {
      backend.close();
    }
    if (lab != null) {
      lab.close();
    }
  }

  private void addWireGuardGoPeer(int port) throws IOException {
    backend.addPeer(new PeerConfig(wgPublic, null, new Endpoint(lab.nsAddress(), port),
        List.of(IpPrefix.parse(lab.wgTunnelAddress() + "/32")), 0));
  }

  private void startWireGuardGo(int embeddedEndpointPort) throws IOException {
    lab.startWireGuardGo(wgPrivate.toBase64(), wgPort, embeddedPublic.toBase64(), embeddedEndpointPort, "");
  }

  /** Sends {@code message} to the echo until its answer arrives (the first ones may be lost to a handshake). */
  private void roundTrip(String message) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      socket.send(lab.wgTunnelAddress(), ECHO_PORT, ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)));
      PartyDatagram reply = socket.receive(Duration.ofMillis(300));
      while (reply != null) {
        if (("echo:" + message).equals(text(reply))) {
          assertEquals(lab.wgTunnelAddress(), reply.sourceIp());
          assertEquals(ECHO_PORT, reply.sourcePort());
          return;
        }
        reply = socket.receive(Duration.ofMillis(50));
      }
    }
    fail("no echo of '" + message + "' through wireguard-go within " + WAIT + "; counters " + backend.counters()
        + "; wireguard-go log: " + lab.log());
  }

  private static String text(PartyDatagram d) {
    return new String(d.payload(), StandardCharsets.UTF_8);
  }

  private PeerStats stats() throws IOException {
    return backend.peerStats().get(0);
  }

  private long counter(ToLongFunction<EmbeddedCounters> f) {
    try {
      return f.applyAsLong(backend.counters());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void handshakeAndUdpBothWays() throws Exception {
    addWireGuardGoPeer(wgPort);
    startWireGuardGo(embeddedPort);
    // wireguard-go starts: its socket says hello first, so wireguard-go initiates the handshake.
    lab.startEcho(ECHO_PORT, lab.embeddedTunnelAddress() + ":" + LOCAL_PORT);
    PartyDatagram hello = socket.receive(WAIT);
    assertNotNull(hello, "no datagram from the wireguard-go side; log: " + lab.log());
    assertEquals("hello", text(hello));
    assertEquals(lab.wgTunnelAddress(), hello.sourceIp());
    roundTrip("ping");
    String handshakes = lab.wg("show", lab.wgInterface, "latest-handshakes");
    assertTrue(handshakes.trim().matches(".*\\s[1-9][0-9]*$"), "wg reports no handshake: " + handshakes);
    String transfer = lab.wg("show", lab.wgInterface, "transfer").trim();
    String[] fields = transfer.split("\\s+");
    assertTrue(Long.parseLong(fields[1]) > 0 && Long.parseLong(fields[2]) > 0, "wg transfer: " + transfer);
    assertNotNull(stats().lastHandshake());
    assertEquals(new Endpoint(lab.nsAddress(), wgPort), stats().endpoint());
  }

  @Test
  void wireGuardGoAnswersOurCookieReplyWithMac2() throws Exception {
    // Our side claims to be under load: wireguard-go's first initiation gets a cookie reply
    // (XChaCha20-Poly1305), and its retry after REKEY_TIMEOUT must carry a valid MAC2.
    socket.close();
    backend.close();
    backend = EmbeddedBackend.builder().clock(clock).bindAddress(InetAddress.getByName(lab.rootAddress()))
        .underLoadThreshold(0).build();
    embeddedPort = backend.up(new InterfaceConfig(lab.interfaceName("e"), embeddedPrivate, 0,
        IpPrefix.parse(lab.embeddedTunnelAddress() + "/24"), 1420));
    socket = backend.userspaceNetwork().orElseThrow().openDatagramSocket(LOCAL_PORT);
    addWireGuardGoPeer(wgPort);
    startWireGuardGo(embeddedPort);
    lab.startEcho(ECHO_PORT, lab.embeddedTunnelAddress() + ":" + LOCAL_PORT);
    PartyDatagram hello = socket.receive(WAIT);
    assertNotNull(hello, "wireguard-go never got through with MAC2; counters " + backend.counters());
    assertEquals("hello", text(hello));
    assertTrue(counter(EmbeddedCounters::cookieRepliesSent) >= 1, "no cookie reply was sent");
  }

  @Test
  void surviveARekey() throws Exception {
    addWireGuardGoPeer(wgPort);
    startWireGuardGo(embeddedPort);
    lab.startEcho(ECHO_PORT, null);
    roundTrip("before");
    long handshakes = counter(EmbeddedCounters::handshakesCompleted);
    clock.advance(Duration.ofSeconds(121));
    roundTrip("during");
    Eventually.until(WAIT,
        () -> counter(EmbeddedCounters::handshakesCompleted) > handshakes, "a new handshake after REKEY_AFTER_TIME");
    roundTrip("after");
  }

  @Test
  void recoverAfterWireGuardGoRestarts() throws Exception {
    addWireGuardGoPeer(wgPort);
    startWireGuardGo(embeddedPort);
    LabProcess echo = lab.startEcho(ECHO_PORT, null);
    roundTrip("first life");
    lab.stop(echo);
    lab.stopWireGuardGo();
    startWireGuardGo(embeddedPort);
    lab.startEcho(ECHO_PORT, null);
    // The old session is gone on the other side: what we send is dropped there, nothing comes back,
    // so after KEEPALIVE_TIMEOUT + REKEY_TIMEOUT our side starts a new handshake.
    socket.send(lab.wgTunnelAddress(), ECHO_PORT, ByteBuffer.wrap("lost".getBytes(StandardCharsets.UTF_8)));
    long handshakes = counter(EmbeddedCounters::handshakesCompleted);
    clock.advance(Duration.ofSeconds(16));
    backend.runTimers();
    Eventually.until(WAIT,
        () -> counter(EmbeddedCounters::handshakesCompleted) > handshakes, "a handshake with the restarted wireguard-go");
    roundTrip("second life");
  }

  @Test
  void followARoamingEndpoint() throws Exception {
    addWireGuardGoPeer(wgPort);
    startWireGuardGo(embeddedPort);
    lab.startEcho(ECHO_PORT, null);
    roundTrip("before roaming");
    int newPort = wgPort + 2500;
    lab.wg("set", lab.wgInterface, "listen-port", Integer.toString(newPort), "peer", embeddedPublic.toBase64(),
        "persistent-keepalive", "1");
    Eventually.until(WAIT,
        () -> {
          try {
            return stats().endpoint().port() == newPort;
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }, "our endpoint to follow wireguard-go to port " + newPort);
    roundTrip("after roaming");
  }

  @Test
  void replayedAndForgedPacketsAreDroppedAndCounted() throws Exception {
    try (RecordingProxy proxy = new RecordingProxy(lab.rootAddress(), new InetSocketAddress(lab.nsAddress(), wgPort),
        new InetSocketAddress(lab.rootAddress(), embeddedPort))) {
      backend.addPeer(new PeerConfig(wgPublic, null, new Endpoint(lab.rootAddress(), proxy.port()),
          List.of(IpPrefix.parse(lab.wgTunnelAddress() + "/32")), 0));
      startWireGuardGo(proxy.port());
      lab.startEcho(ECHO_PORT, null);
      roundTrip("recorded");
      byte[] recorded = proxy.lastTransportFromWireGuardGo();
      assertNotNull(recorded, "the proxy saw no transport packet from wireguard-go");

      proxy.injectToEmbedded(recorded);
      Eventually.until(WAIT, () -> counter(EmbeddedCounters::replayedPackets) >= 1, "the replay to be counted");

      byte[] forged = recorded.clone();
      long counter = ByteBuffer.wrap(forged, 8, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
      ByteBuffer.wrap(forged, 8, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(counter + 100);
      forged[forged.length - 1] ^= 0x55;
      proxy.injectToEmbedded(forged);
      Eventually.until(WAIT, () -> counter(EmbeddedCounters::unauthenticatedPackets) >= 1, "the forged packet to be counted");

      // roundTrip() may have sent its message more than once: drop late echoes before the last check.
      while (socket.receive(Duration.ofMillis(300)) != null) {
        // a duplicate echo of an earlier round trip
      }
      // wireguard-go switches to a key our side does not know: its handshakes are refused and counted.
      Key stranger = Key.fromBytes(X25519.generatePrivateKey(random));
      java.nio.file.Path keyFile = lab.lab.wireGuardKey("stranger", stranger.toBase64());
      lab.wg("set", lab.wgInterface, "private-key", keyFile.toString());
      long invalid = counter(EmbeddedCounters::invalidHandshakes);
      lab.startEcho(ECHO_PORT + 1, lab.embeddedTunnelAddress() + ":" + LOCAL_PORT);
      Eventually.until(WAIT, () -> counter(EmbeddedCounters::invalidHandshakes) > invalid, "the stranger's handshake to be refused");
      assertNull(socket.receive(Duration.ofMillis(300)), "a datagram got through from an unknown key");
    }
  }

  /**
   * A UDP relay between wireguard-go and the embedded peer that remembers the last transport packet
   * wireguard-go sent, so the test can replay and forge it.
   */
  private static final class RecordingProxy implements AutoCloseable {
    private final DatagramChannel channel;
    private final InetSocketAddress wireguardGo;
    private final InetSocketAddress embedded;
    private final Thread thread;
    private volatile byte[] lastTransport;
    private volatile boolean closed;

    RecordingProxy(String bindAddress, InetSocketAddress wireguardGo, InetSocketAddress embedded) throws IOException {
      this.channel = DatagramChannel.open().bind(new InetSocketAddress(bindAddress, 0));
      this.wireguardGo = wireguardGo;
      this.embedded = embedded;
      this.thread = new Thread(this::run, "pne-recording-proxy");
      this.thread.setDaemon(true);
      this.thread.start();
    }

    int port() throws IOException {
      return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    private void run() {
      ByteBuffer buffer = ByteBuffer.allocate(2048);
      while (!closed) {
        try {
          buffer.clear();
          SocketAddress from = channel.receive(buffer);
          buffer.flip();
          if (((InetSocketAddress) from).getAddress().equals(wireguardGo.getAddress())) {
            if (buffer.remaining() > 32 && buffer.get(0) == 4) {
              byte[] copy = new byte[buffer.remaining()];
              buffer.duplicate().get(copy);
              lastTransport = copy;
            }
            channel.send(buffer, embedded);
          } else {
            channel.send(buffer, wireguardGo);
          }
        } catch (IOException e) {
          return;
        }
      }
    }

    byte[] lastTransportFromWireGuardGo() {
      return lastTransport;
    }

    void injectToEmbedded(byte[] packet) throws IOException {
      channel.send(ByteBuffer.wrap(packet), embedded);
    }

    @Override
    public void close() throws IOException {
      closed = true;
      channel.close();
    }
  }
}
