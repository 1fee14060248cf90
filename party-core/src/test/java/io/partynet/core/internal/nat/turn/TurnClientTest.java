package io.partynet.core.internal.nat.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Endpoint;
import io.partynet.core.internal.nat.discovery.StunTiming;
import io.partynet.core.internal.nat.stun.AttributeType;
import io.partynet.core.internal.nat.stun.MessageClass;
import io.partynet.core.internal.nat.stun.StunAttribute;
import io.partynet.core.internal.nat.stun.StunCodec;
import io.partynet.core.internal.nat.stun.StunEncoder;
import io.partynet.core.internal.nat.stun.StunIntegrity;
import io.partynet.core.internal.nat.stun.StunMessage;
import io.partynet.testing.Eventually;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The long-term credential dance against a scripted server on loopback. */
class TurnClientTest {
  private static final StunTiming FAST = new StunTiming(Duration.ofMillis(20), 3, 2);
  private static final TurnCredentials CREDENTIALS = new TurnCredentials("alice", "secret");
  private static final byte[] KEY = StunIntegrity.longTermKey("alice", "lab", "secret");

  private ScriptedServer server;

  @AfterEach
  void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void answers401ThenFollows438StaleNonceAndAllocates() throws Exception {
    server = new ScriptedServer((request, raw) -> {
      String nonce = request.text(AttributeType.NONCE).orElse(null);
      if (nonce == null) {
        return error(request, 401, "n1");
      }
      if (!StunIntegrity.checkSha1(raw, KEY)) {
        return error(request, 401, "n1");
      }
      if (nonce.equals("n1")) {
        return error(request, 438, "n2");
      }
      InetSocketAddress relayed = new InetSocketAddress(loopback(), 50000);
      StunMessage ok = request.response(MessageClass.SUCCESS_RESPONSE, List.of(
          StunAttribute.Address.xorRelayed(relayed),
          StunAttribute.Address.xorMapped(new InetSocketAddress(loopback(), 40000)),
          new StunAttribute.Lifetime(600)));
      return StunEncoder.plain().withIntegrity(KEY).withFingerprint().encode(ok);
    });
    try (TurnClient client = client()) {
      TurnAllocation allocation = client.allocate().get(5, TimeUnit.SECONDS);
      assertEquals(50000, allocation.relayed().getPort());
      assertEquals(Duration.ofSeconds(600), allocation.lifetime());
    }
    List<String> nonces = server.requests.stream()
        .filter(m -> m.messageClass() == MessageClass.REQUEST)
        .map(m -> m.text(AttributeType.NONCE).orElse("-")).toList();
    assertEquals(List.of("-", "n1", "n2"), nonces.subList(0, 3));
  }

  @Test
  void refusedCredentialsFailAsUnauthorized() throws Exception {
    server = new ScriptedServer((request, raw) -> error(request, 401, "n1"));
    try (TurnClient client = client()) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> client.allocate().get(5, TimeUnit.SECONDS));
      TurnException turn = assertInstanceOf(TurnException.class, e.getCause());
      assertEquals(TurnException.Reason.UNAUTHORIZED, turn.reason());
      assertTrue(turn.getMessage().contains("alice"), turn.getMessage());
    }
  }

  @Test
  void aSilentServerTimesOutWithinTheSchedule() throws Exception {
    server = new ScriptedServer((request, raw) -> null);
    try (TurnClient client = client()) {
      // Fails on its own, well before the 5 s bound (the schedule is 100 ms); when is not asserted here.
      ExecutionException e = assertThrows(ExecutionException.class, () -> client.allocate().get(5, TimeUnit.SECONDS));
      TurnException timeout = assertInstanceOf(TurnException.class, e.getCause());
      assertEquals(TurnException.Reason.TIMEOUT, timeout.reason());
      assertTrue(timeout.getMessage().contains("within " + FAST.total().toMillis() + " ms"), timeout.getMessage());
      // The last retransmission may still be on its way to the server's thread when the schedule ends.
      Eventually.until(Duration.ofSeconds(5), () -> server.requests.size() >= 3, () -> "requests: " + server.requests);
      assertEquals(3, server.requests.size(), "sent once and retransmitted twice");
    }
  }

  @Test
  void aForgedResponseIsIgnored() throws Exception {
    server = new ScriptedServer((request, raw) -> {
      if (request.text(AttributeType.NONCE).isEmpty()) {
        return error(request, 401, "n1");
      }
      StunMessage ok = request.response(MessageClass.SUCCESS_RESPONSE, List.of(
          StunAttribute.Address.xorRelayed(new InetSocketAddress(loopback(), 50000))));
      return StunEncoder.plain().withIntegrity(StunIntegrity.longTermKey("alice", "lab", "guess")).encode(ok);
    });
    try (TurnClient client = client()) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> client.allocate().get(5, TimeUnit.SECONDS));
      assertEquals(TurnException.Reason.TIMEOUT, assertInstanceOf(TurnException.class, e.getCause()).reason());
    }
  }

  @Test
  void scheduleRefreshesBeforeExpiry() {
    assertEquals(Duration.ofSeconds(540), TurnSchedule.allocationRefresh(Duration.ofSeconds(600)));
    assertEquals(Duration.ofSeconds(30), TurnSchedule.allocationRefresh(Duration.ofSeconds(60)));
    assertTrue(TurnSchedule.PERMISSION_REFRESH.getSeconds() < 300);
    assertTrue(TurnSchedule.CHANNEL_REFRESH.getSeconds() < 600);
  }

  @Test
  void credentialsNeverPrintThePassword() {
    assertTrue(!CREDENTIALS.toString().contains("secret"));
  }

  private TurnClient client() throws Exception {
    return TurnClient.builder(Endpoint.of(server.address()), CREDENTIALS).timing(FAST).build();
  }

  private static ByteBuffer error(StunMessage request, int code, String nonce) {
    StunMessage response = request.response(MessageClass.ERROR_RESPONSE, List.of(
        new StunAttribute.ErrorCode(code, code == 438 ? "Stale Nonce" : "Unauthorized"),
        StunAttribute.Text.realm("lab"), StunAttribute.Text.nonce(nonce)));
    return StunEncoder.plain().withFingerprint().encode(response);
  }

  private static InetAddress loopback() {
    return InetAddress.getLoopbackAddress();
  }

  /** A UDP server on loopback that answers each request with what the script returns (null: silence). */
  private static final class ScriptedServer implements AutoCloseable {
    final List<StunMessage> requests = new CopyOnWriteArrayList<>();
    private final DatagramChannel channel;
    private final Thread thread;

    ScriptedServer(BiFunction<StunMessage, ByteBuffer, ByteBuffer> script) throws Exception {
      channel = DatagramChannel.open();
      channel.bind(new InetSocketAddress(loopback(), 0));
      thread = new Thread(() -> {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        try {
          while (true) {
            buffer.clear();
            SocketAddress from = channel.receive(buffer);
            buffer.flip();
            StunMessage request = StunCodec.decode(buffer);
            requests.add(request);
            ByteBuffer answer = script.apply(request, buffer);
            if (answer != null) {
              channel.send(answer, from);
            }
          }
        } catch (Exception e) {
          // closed
        }
      });
      thread.setDaemon(true);
      thread.start();
    }

    InetSocketAddress address() throws Exception {
      return (InetSocketAddress) channel.getLocalAddress();
    }

    @Override
    public void close() throws Exception {
      channel.close();
      thread.join(2000);
    }
  }
}
