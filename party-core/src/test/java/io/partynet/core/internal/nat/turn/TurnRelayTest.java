package io.partynet.core.internal.nat.turn;

import static io.partynet.testing.TestPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Endpoint;
import io.partynet.PartyConfig;
import io.partynet.PartyException;
import io.partynet.Peer;
import io.partynet.core.internal.connection.PartySignals;
import io.partynet.core.internal.nat.discovery.StunTiming;
import io.partynet.core.internal.nat.stun.AttributeType;
import io.partynet.core.internal.nat.stun.ChannelData;
import io.partynet.core.internal.nat.stun.MessageClass;
import io.partynet.core.internal.nat.stun.StunAttribute;
import io.partynet.core.internal.nat.stun.StunCodec;
import io.partynet.core.internal.nat.stun.StunEncoder;
import io.partynet.core.internal.nat.stun.StunMessage;
import io.partynet.core.internal.nat.stun.StunMethod;
import io.partynet.core.internal.nat.stun.TransactionId;
import io.partynet.testing.Eventually;
import io.partynet.testing.ManualClock;
import io.partynet.spi.IceServers;
import io.partynet.spi.Signal;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * TurnRelay's bookkeeping against a minimal TURN server on loopback (it grants allocations and
 * channel bindings without credentials and relays nothing): lazy allocation, the relay-candidate
 * exchange, the waiting states of open(), late and changed candidates, retries, close. The data
 * path itself is proven against coturn by {@code RelayPathLabTest}.
 */
class TurnRelayTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final StunTiming FAST = new StunTiming(Duration.ofMillis(100), 6, 16);
  private static final Endpoint RELAYED_B = Endpoint.parse("198.51.100.2:40000");
  private static final Endpoint RELAYED_B_AGAIN = Endpoint.parse("198.51.100.2:40002");
  private static final int WIREGUARD_PORT = 51820;

  private final Peer b = peer("b");
  private final List<String> sent = new CopyOnWriteArrayList<>();
  private final List<String> ready = new CopyOnWriteArrayList<>();
  private final TurnRelay.Signalling signalling = new TurnRelay.Signalling() {
    @Override public void sendCandidate(String peerId, Endpoint relayed) { sent.add(peerId + " " + relayed); }
    @Override public void relayReady(String peerId) { ready.add(peerId); }
  };
  private FakeTurnServer server;
  private TurnRelay relay;

  @AfterEach
  void stop() throws Exception {
    if (relay != null) {
      relay.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private TurnRelay relay() throws IOException {
    server = new FakeTurnServer();
    relay = TurnRelay.builder(Endpoint.of(server.address()), new TurnCredentials("alice", "secret"))
        .wireGuardPort(WIREGUARD_PORT).signalling(signalling).timing(FAST).build();
    return relay;
  }

  /** The first open starts everything; on loopback it may even be ready before it returns. */
  private void openOrWait() {
    try {
      relay.open(b);
    } catch (IOException e) {
      assertTrue(e.getMessage().startsWith("waiting for") || e.getMessage().startsWith("binding a TURN channel"),
          e.getMessage());
    }
  }

  @Test
  void nothingIsAllocatedUntilAPeerNeedsTheRelay() throws Exception {
    relay();
    relay.onCandidate("b", RELAYED_B);
    assertTrue(relay.allocation().isEmpty());
    assertEquals(0, server.allocations.get(), "a candidate alone does not allocate");
  }

  @Test
  void openWaitsForTheAllocationThenForThePeersAddressThenConnects() throws Exception {
    relay();
    server.answerAllocate = false;
    IOException first = assertThrows(IOException.class, () -> relay.open(b));
    assertTrue(first.getMessage().startsWith("waiting for the TURN allocation on"), first.getMessage());

    server.answerAllocate = true;
    Eventually.until(WAIT, () -> sent.contains("b " + server.relayedFor(1)), () -> "candidate published: " + sent);
    IOException second = assertThrows(IOException.class, () -> relay.open(b));
    assertEquals("waiting for b's relayed address", second.getMessage());
    assertTrue(ready.isEmpty());

    relay.onCandidate("b", RELAYED_B);
    Eventually.until(WAIT, () -> ready.equals(List.of("b")), () -> "relayReady(b): " + ready);
    Endpoint loopback = relay.open(b);
    assertEquals("127.0.0.1", loopback.host());
    assertEquals(loopback, relay.open(b), "the same forwarder on every call");
    assertEquals(List.of(RELAYED_B), server.channelPeers, "one channel, bound to b's relayed address");
    assertEquals(1, server.allocations.get(), "one allocation for the member");
    assertEquals(server.relayedFor(1), Endpoint.of(relay.allocation().orElseThrow().relayed()));
  }

  @Test
  void aCandidateThatArrivedFirstIsUsedOnceThePeerIsOpened() throws Exception {
    relay();
    relay.onCandidate("b", RELAYED_B);
    openOrWait();
    Eventually.until(WAIT, () -> ready.equals(List.of("b")), () -> "relayReady(b): " + ready);
    assertTrue(sent.contains("b " + server.relayedFor(1)), sent.toString());
    assertEquals("127.0.0.1", relay.open(b).host());
  }

  @Test
  void aChangedCandidateMovesThePathAndWireGuardKeepsItsEndpoint() throws Exception {
    relay();
    relay.onCandidate("b", RELAYED_B);
    openOrWait();
    Eventually.until(WAIT, () -> ready.size() == 1, () -> "first relayReady: " + ready);
    Endpoint before = relay.open(b);
    relay.onCandidate("b", RELAYED_B);
    assertEquals(1, server.channelPeers.size(), "a repeated candidate changes nothing");

    relay.onCandidate("b", RELAYED_B_AGAIN);
    Eventually.until(WAIT, () -> server.channelPeers.size() == 2, () -> "a channel to the new address: "
        + server.channelPeers);
    assertEquals(List.of(RELAYED_B, RELAYED_B_AGAIN), server.channelPeers);
    assertEquals(before, relay.open(b), "the same loopback port: nothing to reconfigure in WireGuard");
    assertEquals(List.of("b"), ready);
  }

  @Test
  void aCredentialAboutToExpireIsRotatedMakeBeforeBreakAndWireGuardKeepsItsEndpoint() throws Exception {
    server = new FakeTurnServer();
    ManualClock clock = ManualClock.startingAt("2026-01-01T00:00:00Z");
    Instant firstExpiry = clock.instant().plusSeconds(60);
    AtomicReference<TurnLease> lease = new AtomicReference<>(
        new TurnLease(new TurnCredentials("1767225660:b", "first"), firstExpiry));
    relay = TurnRelay.builder(Endpoint.of(server.address()), lease::get).wireGuardPort(WIREGUARD_PORT)
        .signalling(signalling).timing(FAST).clock(clock).build();
    relay.onCandidate("b", RELAYED_B);
    openOrWait();
    Eventually.until(WAIT, () -> ready.size() == 1, () -> "relayReady: " + ready);
    Endpoint before = relay.open(b);

    relay.rotateIfDue();
    clock.advance(Duration.ofSeconds(47));
    relay.rotateIfDue();
    assertEquals(1, server.allocations.get(), "not in the last fifth of the credential's life yet");
    clock.advance(Duration.ofSeconds(2));
    relay.rotateIfDue();
    assertEquals(1, server.allocations.get(), "due, but no newer credential yet: the allocation stays");

    lease.set(new TurnLease(new TurnCredentials("1767225720:b", "second"), firstExpiry.plusSeconds(60)));
    relay.rotateIfDue();
    Eventually.until(WAIT, () -> sent.contains("b " + server.relayedFor(2)), () -> "new address published: " + sent);
    assertEquals(2, server.allocations.get());
    assertEquals(server.relayedFor(2), Endpoint.of(relay.allocation().orElseThrow().relayed()));
    assertEquals(List.of(RELAYED_B, RELAYED_B), server.channelPeers, "b's channel bound again on the new allocation");
    assertEquals(0, server.deallocated.get(), "the old allocation keeps delivering while b moves");
    assertEquals(before, relay.open(b), "the same loopback port: nothing to reconfigure in WireGuard");
    assertEquals(List.of("b"), ready);
    relay.rotateIfDue();
    assertEquals(2, server.allocations.get(), "the new credential is young");
  }

  @Test
  void aFailedAllocationIsRetriedByALaterOpen() throws Exception {
    relay();
    server.refuseNextAllocate = true;
    Eventually.until(WAIT, () -> {
      try {
        relay.open(b);
      } catch (IOException e) {
        // waiting or failed: the manager retries the same way
      }
      return !sent.isEmpty();
    }, "an allocation after the refused one");
    assertEquals(2, server.allocations.get(), "refused once, then granted");
    assertEquals(List.of("b " + server.relayedFor(2)), sent.subList(0, 1));
  }

  @Test
  void aLostAllocationIsReplacedWithEveryPathOnIt() throws Exception {
    relay();
    server.grantedLifetime = 2;
    server.refuseRefresh = true;
    relay.onCandidate("b", RELAYED_B);
    openOrWait();
    Eventually.until(WAIT, () -> ready.size() == 1, () -> "first relayReady: " + ready);
    Endpoint before = relay.open(b);
    server.grantedLifetime = 600;

    // The client refreshes a 2 s allocation after 1 s; the server no longer knows it.
    Eventually.until(WAIT, () -> ready.size() == 2, () -> "relayReady after the new allocation: " + ready);
    assertEquals(2, server.allocations.get());
    assertTrue(sent.contains("b " + server.relayedFor(2)), "the new relayed address is published: " + sent);
    assertEquals(server.relayedFor(2), Endpoint.of(relay.allocation().orElseThrow().relayed()));
    assertNotEquals(before, relay.open(b), "a new forwarder on the new allocation");
    assertEquals(List.of(RELAYED_B, RELAYED_B), server.channelPeers, "b's address bound again");
  }

  @Test
  void closingAPeerForgetsItsAddressAndClosingTheRelayDeletesTheAllocation() throws Exception {
    relay();
    relay.onCandidate("b", RELAYED_B);
    openOrWait();
    Eventually.until(WAIT, () -> ready.size() == 1, "relayReady(b)");
    relay.open(b);
    relay.close(b);
    IOException e = assertThrows(IOException.class, () -> relay.open(b));
    assertEquals("waiting for b's relayed address", e.getMessage());

    relay.close();
    Eventually.until(WAIT, () -> server.deallocated.get() == 1, "a Refresh with LIFETIME 0");
    assertEquals("the TURN relay is closed", assertThrows(IOException.class, () -> relay.open(b)).getMessage());
  }

  @Test
  void signalsCarryTheRelayedAddressAndMalformedOnesAreDropped() throws Exception {
    relay();
    assertFalse(relay.onSignal(new Signal("party", "b", "a", "punch", Map.of())));
    assertTrue(relay.onSignal(new Signal("party", "b", "a", PartySignals.RELAY_CANDIDATE, Map.of("relayed", "not-an-endpoint"))));
    assertTrue(relay.onSignal(new Signal("party", "b", "a", PartySignals.RELAY_CANDIDATE, Map.of())));
    assertTrue(relay.onSignal(new Signal("party", "b", "a", PartySignals.RELAY_CANDIDATE, Map.of("relayed", "0.0.0.0:3478"))));
    openOrWait();
    Eventually.until(WAIT, () -> !sent.isEmpty(), "allocation");
    assertEquals("waiting for b's relayed address", assertThrows(IOException.class, () -> relay.open(b)).getMessage());

    Signal candidate = PartySignals.relayCandidate("party", "b", "a", RELAYED_B);
    assertEquals(Map.of("relayed", "198.51.100.2:40000"), candidate.data());
    assertTrue(relay.onSignal(candidate));
    Eventually.until(WAIT, () -> ready.equals(List.of("b")), () -> "relayReady(b): " + ready);
    assertEquals(List.of(RELAYED_B), server.channelPeers);
  }

  @Test
  void configurationNeedsAServerAndBothCredentials() {
    PartyConfig none = PartyConfig.builder().build();
    assertTrue(TurnRelays.fromConfig(none, WIREGUARD_PORT, signalling).isEmpty(), "no server, no relay");

    PartyConfig full = none.toBuilder().setting("nat.turn-server", "203.0.113.1:3478")
        .setting("nat.turn-username", "alice").setting("nat.turn-password", "hunter2").build();
    try (TurnRelay configured = TurnRelays.fromConfig(full, WIREGUARD_PORT, signalling).orElseThrow()) {
      assertEquals("TurnRelay[203.0.113.1:3478, TurnCredentials[username=alice, password=***]]", configured.toString());
      assertTrue(configured.allocation().isEmpty(), "nothing is sent before a peer needs the relay");
    }

    PartyException noPassword = assertThrows(PartyException.class, () -> TurnRelays.fromConfig(
        none.toBuilder().setting("nat.turn-server", "203.0.113.1:3478").setting("nat.turn-username", "alice").build(),
        WIREGUARD_PORT, signalling));
    assertEquals(PartyException.Reason.INVALID_ARGUMENT, noPassword.reason());
    assertTrue(noPassword.getMessage().contains("nat.turn-password"), noPassword.getMessage());

    PartyException badServer = assertThrows(PartyException.class, () -> TurnRelays.fromConfig(
        full.toBuilder().setting("nat.turn-server", "turn.example.com:3478").build(), WIREGUARD_PORT, signalling));
    assertTrue(badServer.getMessage().startsWith("nat.turn-server must be an ip:port endpoint"), badServer.getMessage());
    assertFalse(badServer.getMessage().contains("hunter2"));
  }

  @Test
  void theControlPlanesTurnServerIsUsedWithTheCredentialItHoldsWhenAllocating() {
    AtomicReference<Optional<IceServers>> handedOut = new AtomicReference<>(Optional.empty());
    assertTrue(TurnRelays.fromIceServers(handedOut::get, WIREGUARD_PORT, signalling).isEmpty(), "none handed out");
    Instant expiry = Instant.parse("2026-12-05T15:00:00Z");
    handedOut.set(Optional.of(new IceServers(List.of(), List.of(
        new IceServers.TurnServer("turn.example.net:3478", "1:alice", "p0"),
        new IceServers.TurnServer("203.0.113.1:3478", "1764946800:alice", "p1")), expiry)));
    TurnRelay fromIce = TurnRelays.fromIceServers(handedOut::get, WIREGUARD_PORT, signalling).orElseThrow();
    assertEquals("TurnRelay[203.0.113.1:3478, TurnCredentials[username=1764946800:alice, password=***]]",
        fromIce.toString(), "a host name is skipped: the relay resolves no names");
    handedOut.set(Optional.of(new IceServers(List.of(), List.of(
        new IceServers.TurnServer("203.0.113.1:3478", "1764950400:alice", "p2")), expiry.plusSeconds(3600))));
    assertEquals("TurnRelay[203.0.113.1:3478, TurnCredentials[username=1764950400:alice, password=***]]",
        fromIce.toString(), "the refreshed credential is the one the next allocation takes");
  }

  /**
   * Grants Allocate (relayed 198.51.100.1:50000+n for the n-th), ChannelBind, CreatePermission and
   * Refresh without credentials; records what it was asked. Relays nothing.
   */
  private static final class FakeTurnServer implements AutoCloseable {
    final AtomicInteger allocations = new AtomicInteger();
    final AtomicInteger deallocated = new AtomicInteger();
    final List<Endpoint> channelPeers = new CopyOnWriteArrayList<>();
    volatile boolean answerAllocate = true;
    volatile boolean refuseNextAllocate;
    volatile long grantedLifetime = 600;
    volatile boolean refuseRefresh;
    private final Map<TransactionId, StunMessage> answered = new ConcurrentHashMap<>();
    private final DatagramChannel channel;
    private final Thread thread;

    FakeTurnServer() throws IOException {
      channel = DatagramChannel.open();
      channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      thread = new Thread(this::serve, "fake-turn");
      thread.setDaemon(true);
      thread.start();
    }

    InetSocketAddress address() throws IOException {
      return (InetSocketAddress) channel.getLocalAddress();
    }

    Endpoint relayedFor(int allocation) {
      return new Endpoint("198.51.100.1", 50000 + allocation);
    }

    private void serve() {
      ByteBuffer buffer = ByteBuffer.allocate(2048);
      try {
        while (true) {
          buffer.clear();
          SocketAddress from = channel.receive(buffer);
          buffer.flip();
          if (ChannelData.looksLikeChannelData(buffer)) {
            continue;
          }
          StunMessage request = StunCodec.decode(buffer);
          // a retransmission gets the first answer again, as a real server's transaction cache does
          StunMessage answer = answered.containsKey(request.transactionId())
              ? answered.get(request.transactionId()) : answer(request);
          if (answer != null) {
            answered.put(request.transactionId(), answer);
          }
          if (answer != null) {
            channel.send(StunEncoder.plain().withFingerprint().encode(answer), from);
          }
        }
      } catch (Exception e) {
        // closed
      }
    }

    private StunMessage answer(StunMessage request) {
      return switch (request.method()) {
        case StunMethod.ALLOCATE -> {
          if (!answerAllocate) {
            yield null;
          }
          int n = allocations.incrementAndGet();
          if (refuseNextAllocate) {
            refuseNextAllocate = false;
            yield request.response(MessageClass.ERROR_RESPONSE, List.of(new StunAttribute.ErrorCode(508, "Insufficient Capacity")));
          }
          yield request.response(MessageClass.SUCCESS_RESPONSE, List.of(
              StunAttribute.Address.xorRelayed(relayedFor(n).toSocketAddress()),
              StunAttribute.Address.xorMapped(new InetSocketAddress("203.0.113.50", 40000)),
              new StunAttribute.Lifetime(grantedLifetime)));
        }
        case StunMethod.CHANNEL_BIND -> {
          channelPeers.add(Endpoint.of(request.address(AttributeType.XOR_PEER_ADDRESS).orElseThrow().address()));
          yield request.response(MessageClass.SUCCESS_RESPONSE, List.of());
        }
        case StunMethod.REFRESH -> {
          long lifetime = request.attribute(AttributeType.LIFETIME, StunAttribute.Lifetime.class).orElseThrow().seconds();
          if (lifetime == 0) {
            deallocated.incrementAndGet();
          } else if (refuseRefresh) {
            yield request.response(MessageClass.ERROR_RESPONSE, List.of(new StunAttribute.ErrorCode(437, "Allocation Mismatch")));
          }
          yield request.response(MessageClass.SUCCESS_RESPONSE, List.of(new StunAttribute.Lifetime(lifetime)));
        }
        default -> request.response(MessageClass.SUCCESS_RESPONSE, List.of());
      };
    }

    @Override
    public void close() throws Exception {
      channel.close();
      thread.join(2000);
    }
  }
}
