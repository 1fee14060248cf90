package io.partynet.wireguard.embedded.internal;

import io.partynet.testing.Eventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.PartyDatagram;
import io.partynet.PartyDatagramSocket;
import io.partynet.PortForward;
import io.partynet.spi.InterfaceConfig;
import io.partynet.spi.NetworkBackendProvider;
import io.partynet.spi.PeerConfig;
import io.partynet.spi.PeerStats;
import io.partynet.spi.UserspaceNetwork;
import io.partynet.wireguard.embedded.internal.crypto.X25519;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two embedded backends in one JVM on loopback: handshake, datagrams, port forward, timers, keys. */
class EmbeddedPairTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private final SecureRandom random = new SecureRandom();
  private final MutableClock clockA = new MutableClock();
  private final MutableClock clockB = new MutableClock();
  private final Key keyA = Key.fromBytes(X25519.generatePrivateKey(random));
  private final Key keyB = Key.fromBytes(X25519.generatePrivateKey(random));
  private final Key pubA = Key.fromBytes(X25519.publicKey(keyA.toBytes()));
  private final Key pubB = Key.fromBytes(X25519.publicKey(keyB.toBytes()));
  private EmbeddedBackend a;
  private EmbeddedBackend b;
  private int portA;
  private int portB;

  @BeforeEach
  void setUp() throws IOException {
    a = EmbeddedBackend.builder().clock(clockA).bindAddress(InetAddress.getLoopbackAddress()).build();
    b = EmbeddedBackend.builder().clock(clockB).bindAddress(InetAddress.getLoopbackAddress()).build();
    portA = a.up(new InterfaceConfig("pneA", keyA, 0, IpPrefix.parse("10.66.0.1/24"), 1420));
    portB = b.up(new InterfaceConfig("pneB", keyB, 0, IpPrefix.parse("10.66.0.2/24"), 1420));
  }

  @AfterEach
  void tearDown() {
    a.close();
    b.close();
  }

  private void connect(Key psk) throws IOException {
    a.addPeer(new PeerConfig(pubB, psk, new Endpoint("127.0.0.1", portB), List.of(IpPrefix.parse("10.66.0.2/32")), 0));
    b.addPeer(new PeerConfig(pubA, psk, new Endpoint("127.0.0.1", portA), List.of(IpPrefix.parse("10.66.0.1/32")), 0));
  }

  private static UserspaceNetwork net(EmbeddedBackend backend) {
    return backend.userspaceNetwork().orElseThrow();
  }

  private static ByteBuffer text(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(PartyDatagram d) {
    return new String(d.payload(), StandardCharsets.UTF_8);
  }

  @Test
  void datagramsFlowBothWaysAfterAHandshake() throws Exception {
    connect(null);
    try (PartyDatagramSocket sa = net(a).openDatagramSocket(5000);
        PartyDatagramSocket sb = net(b).openDatagramSocket(6000)) {
      sa.send("10.66.0.2", 6000, text("ping"));
      PartyDatagram got = sb.receive(WAIT);
      assertNotNull(got, "B received nothing");
      assertEquals("ping", text(got));
      assertEquals("10.66.0.1", got.sourceIp());
      assertEquals(5000, got.sourcePort());
      sb.send(got.sourceIp(), got.sourcePort(), text("pong"));
      PartyDatagram back = sa.receive(WAIT);
      assertNotNull(back, "A received nothing");
      assertEquals("pong", text(back));
      assertEquals("10.66.0.2", back.sourceIp());
    }
    PeerStats stats = a.peerStats().get(0);
    assertNotNull(stats.lastHandshake());
    assertTrue(stats.rxBytes() > 0 && stats.txBytes() > 0);
    assertEquals(new Endpoint("127.0.0.1", portB), stats.endpoint());
    assertTrue(a.counters().handshakesCompleted() + b.counters().handshakesCompleted() >= 2);
    try (PartyDatagramSocket sa = net(a).openDatagramSocket(5001)) {
      sa.send("10.66.0.2", 6001, text("nobody listens"));
      Eventually.until(WAIT, () -> undeliverable(b) >= 1, "B to count the datagram for a closed port");
    }
  }

  private static long undeliverable(EmbeddedBackend backend) {
    try {
      return backend.undeliverablePackets();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void presharedKeysMustMatch() throws Exception {
    Key psk = Key.fromBytes(new byte[32]);
    byte[] other = new byte[32];
    other[0] = 1;
    a.addPeer(new PeerConfig(pubB, Key.fromBytes(other), new Endpoint("127.0.0.1", portB),
        List.of(IpPrefix.parse("10.66.0.2/32")), 0));
    b.addPeer(new PeerConfig(pubA, psk, new Endpoint("127.0.0.1", portA), List.of(IpPrefix.parse("10.66.0.1/32")), 0));
    try (PartyDatagramSocket sa = net(a).openDatagramSocket(5000);
        PartyDatagramSocket sb = net(b).openDatagramSocket(6000)) {
      sa.send("10.66.0.2", 6000, text("secret"));
      Eventually.until(WAIT, () -> count(a, c -> c.invalidHandshakes()) >= 1, "A rejects B's response");
      assertNull(sb.receive(Duration.ofMillis(200)));
    }
  }

  @Test
  void matchingPresharedKeysCarryTraffic() throws Exception {
    byte[] psk = new byte[32];
    random.nextBytes(psk);
    connect(Key.fromBytes(psk));
    try (PartyDatagramSocket sa = net(a).openDatagramSocket(5000);
        PartyDatagramSocket sb = net(b).openDatagramSocket(6000)) {
      sa.send("10.66.0.2", 6000, text("with psk"));
      PartyDatagram got = sb.receive(WAIT);
      assertNotNull(got);
      assertEquals("with psk", text(got));
    }
  }

  @Test
  void portForwardCarriesAGamesDatagramsBothWays() throws Exception {
    connect(null);
    try (PartyDatagramSocket server = net(b).openDatagramSocket(7777);
        PortForward forward = net(a).forwardUdp(0, "10.66.0.2", 7777);
        DatagramSocket game = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      assertEquals("10.66.0.2", forward.virtualIp());
      assertEquals(7777, forward.remotePort());
      byte[] hello = "join?".getBytes(StandardCharsets.UTF_8);
      game.send(new DatagramPacket(hello, hello.length, forward.localAddress()));
      PartyDatagram atServer = server.receive(WAIT);
      assertNotNull(atServer, "the forwarded datagram never reached the peer");
      assertEquals("join?", text(atServer));
      assertEquals("10.66.0.1", atServer.sourceIp());
      server.send(atServer.sourceIp(), atServer.sourcePort(), text("welcome"));
      game.setSoTimeout((int) WAIT.toMillis());
      DatagramPacket reply = new DatagramPacket(new byte[100], 100);
      game.receive(reply);
      assertEquals("welcome", new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void rekeyAfterTimeStartsANewHandshakeAndTrafficContinues() throws Exception {
    connect(null);
    try (PartyDatagramSocket sa = net(a).openDatagramSocket(5000);
        PartyDatagramSocket sb = net(b).openDatagramSocket(6000)) {
      sa.send("10.66.0.2", 6000, text("one"));
      assertNotNull(sb.receive(WAIT));
      long before = a.counters().handshakesCompleted();
      Duration rekey = Duration.ofSeconds(121);
      clockA.advance(rekey);
      clockB.advance(rekey);
      sa.send("10.66.0.2", 6000, text("two"));
      assertEquals("two", text(sb.receive(WAIT)));
      Eventually.until(WAIT, () -> count(a, c -> c.handshakesCompleted()) > before, "a second handshake after REKEY_AFTER_TIME");
      sa.send("10.66.0.2", 6000, text("three"));
      assertEquals("three", text(sb.receive(WAIT)));
      sb.send("10.66.0.1", 5000, text("four"));
      assertEquals("four", text(sa.receive(WAIT)));
    }
  }

  @Test
  void sessionExpiresAfterRejectAfterTimeAndIsRebuilt() throws Exception {
    connect(null);
    try (PartyDatagramSocket sa = net(a).openDatagramSocket(5000);
        PartyDatagramSocket sb = net(b).openDatagramSocket(6000)) {
      sa.send("10.66.0.2", 6000, text("one"));
      assertNotNull(sb.receive(WAIT));
      Duration reject = Duration.ofSeconds(181);
      clockA.advance(reject);
      clockB.advance(reject);
      sb.send("10.66.0.1", 5000, text("after expiry"));
      PartyDatagram got = sa.receive(WAIT);
      assertNotNull(got, "no traffic after the keys expired");
      assertEquals("after expiry", text(got));
    }
  }

  @Test
  void persistentKeepaliveSendsWithoutTraffic() throws Exception {
    connect(null);
    a.updatePeer(new PeerConfig(pubB, null, new Endpoint("127.0.0.1", portB), List.of(IpPrefix.parse("10.66.0.2/32")),
        25));
    Eventually.until(WAIT, () -> stat(b).lastHandshake() != null, "the keepalive's handshake");
    long rx = stat(b).rxBytes();
    clockA.advance(Duration.ofSeconds(26));
    a.runTimers();
    Eventually.until(WAIT, () -> stat(b).rxBytes() > rx, "a persistent keepalive arriving at B");
  }

  @Test
  void endpointFollowsTheLastAuthenticatedPacket() throws Exception {
    // B does not know A's endpoint at all: it learns it from A's handshake (roaming).
    a.addPeer(new PeerConfig(pubB, null, new Endpoint("127.0.0.1", portB), List.of(IpPrefix.parse("10.66.0.2/32")), 0));
    b.addPeer(new PeerConfig(pubA, null, null, List.of(IpPrefix.parse("10.66.0.1/32")), 0));
    try (PartyDatagramSocket sa = net(a).openDatagramSocket(5000);
        PartyDatagramSocket sb = net(b).openDatagramSocket(6000)) {
      sa.send("10.66.0.2", 6000, text("here I am"));
      assertNotNull(sb.receive(WAIT));
      assertEquals(new Endpoint("127.0.0.1", portA), stat(b).endpoint());
      sb.send("10.66.0.1", 5000, text("found you"));
      assertEquals("found you", text(sa.receive(WAIT)));
    }
  }

  @Test
  void cookieReplyUnderLoadThenHandshakeWithMac2() throws Exception {
    b.close();
    b = EmbeddedBackend.builder().clock(clockB).bindAddress(InetAddress.getLoopbackAddress()).underLoadThreshold(0)
        .build();
    portB = b.up(new InterfaceConfig("pneB", keyB, 0, IpPrefix.parse("10.66.0.2/24"), 1420));
    connect(null);
    try (PartyDatagramSocket sa = net(a).openDatagramSocket(5000);
        PartyDatagramSocket sb = net(b).openDatagramSocket(6000)) {
      sa.send("10.66.0.2", 6000, text("knock"));
      Eventually.until(WAIT, () -> count(b, c -> c.cookieRepliesSent()) >= 1, "a cookie reply");
      Duration retry = Duration.ofSeconds(6);
      clockA.advance(retry);
      clockB.advance(retry);
      a.runTimers();
      PartyDatagram got = sb.receive(WAIT);
      assertNotNull(got, "the retried initiation with MAC2 was not accepted");
      assertEquals("knock", text(got));
    }
  }

  @Test
  void noRouteAndOversizeAreReported() throws Exception {
    connect(null);
    try (PartyDatagramSocket sa = net(a).openDatagramSocket(0)) {
      assertTrue(sa.localPort() >= 49152);
      assertThrows(NoRouteToHostException.class, () -> sa.send("10.66.0.99", 1, text("x")));
      assertThrows(IOException.class, () -> sa.send("10.66.0.2", 1, ByteBuffer.allocate(1500)));
    }
  }

  @Test
  void removedPeerNoLongerReceives() throws Exception {
    connect(null);
    try (PartyDatagramSocket sa = net(a).openDatagramSocket(5000);
        PartyDatagramSocket sb = net(b).openDatagramSocket(6000)) {
      sa.send("10.66.0.2", 6000, text("one"));
      assertNotNull(sb.receive(WAIT));
      a.removePeer(pubB);
      assertTrue(a.peerStats().isEmpty());
      assertThrows(NoRouteToHostException.class, () -> sa.send("10.66.0.2", 6000, text("two")));
    }
  }

  @Test
  void packetsFromOutsideThePeersAllowedIpsAreDropped() throws Exception {
    // A accepts only 10.66.0.99 from B, so B's packets (from 10.66.0.2) fail source filtering.
    a.addPeer(new PeerConfig(pubB, null, new Endpoint("127.0.0.1", portB), List.of(IpPrefix.parse("10.66.0.99/32")), 0));
    b.addPeer(new PeerConfig(pubA, null, new Endpoint("127.0.0.1", portA), List.of(IpPrefix.parse("10.66.0.1/32")), 0));
    try (PartyDatagramSocket sa = net(a).openDatagramSocket(5000);
        PartyDatagramSocket sb = net(b).openDatagramSocket(6000)) {
      sb.send("10.66.0.1", 5000, text("spoofed?"));
      Eventually.until(WAIT, () -> count(a, c -> c.sourceFilteredPackets()) >= 1, "source filtering to drop B's packet");
      assertNull(sa.receive(Duration.ofMillis(100)));
    }
  }

  @Test
  void receiverSendsAKeepaliveWhenItHasNothingToSay() throws Exception {
    connect(null);
    try (PartyDatagramSocket sa = net(a).openDatagramSocket(5000);
        PartyDatagramSocket sb = net(b).openDatagramSocket(6000)) {
      sa.send("10.66.0.2", 6000, text("data"));
      assertNotNull(sb.receive(WAIT));
      Eventually.until(WAIT, () -> stat(a).rxBytes() > 0, "B's first keypair confirmation");
      long rx = stat(a).rxBytes();
      clockB.advance(Duration.ofSeconds(11));
      b.runTimers();
      Eventually.until(WAIT, () -> stat(a).rxBytes() > rx, "B's keepalive after KEEPALIVE_TIMEOUT");
    }
  }

  @Test
  void nonWireGuardDatagramsGoToTheSharedSocketHookWhichCanAnswer() throws Exception {
    java.util.concurrent.BlockingQueue<io.partynet.wireguard.embedded.internal.device.DatagramKind> kinds =
        new java.util.concurrent.LinkedBlockingQueue<>();
    a.setSharedSocketHook((kind, datagram, source) -> {
      kinds.add(kind);
      try {
        a.sendRaw(ByteBuffer.wrap("answer".getBytes(StandardCharsets.UTF_8)), source);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    byte[] stunRequest = java.util.HexFormat.of().parseHex("000100002112a442b7e7a701bc34d686fa87dfae");
    try (DatagramSocket stun = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      stun.setSoTimeout((int) WAIT.toMillis());
      stun.send(new DatagramPacket(stunRequest, stunRequest.length, InetAddress.getLoopbackAddress(), portA));
      DatagramPacket reply = new DatagramPacket(new byte[64], 64);
      stun.receive(reply);
      assertEquals("answer", new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8));
    }
    assertEquals(io.partynet.wireguard.embedded.internal.device.DatagramKind.STUN,
        kinds.poll(10, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals(1, a.counters().nonWireGuardDatagrams());
  }

  @Test
  void theNetworkIsOfferedBeforeUpAndRefusesUntilThen() {
    EmbeddedBackend down = EmbeddedBackend.builder().build();
    assertTrue(down.userspaceNetwork().isPresent());
    assertThrows(java.net.SocketException.class, () -> down.userspaceNetwork().orElseThrow().openDatagramSocket(1));
    assertThrows(java.net.SocketException.class, down::peerStats);
    down.close();
  }

  @Test
  void providerIsRegisteredAndAlwaysAvailable() {
    NetworkBackendProvider provider = ServiceLoader.load(NetworkBackendProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("embedded")).findFirst().orElseThrow();
    assertEquals(100, provider.priority());
    assertTrue(provider.isAvailable(io.partynet.PartyConfig.builder().build()));
  }

  private static PeerStats stat(EmbeddedBackend backend) {
    try {
      return backend.peerStats().get(0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long count(EmbeddedBackend backend,
      java.util.function.ToLongFunction<io.partynet.wireguard.embedded.internal.EmbeddedCounters> f) {
    try {
      return f.applyAsLong(backend.counters());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
