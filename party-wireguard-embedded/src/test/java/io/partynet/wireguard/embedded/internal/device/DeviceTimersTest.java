package io.partynet.wireguard.embedded.internal.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.spi.PeerConfig;
import io.partynet.wireguard.embedded.internal.crypto.X25519;
import io.partynet.wireguard.embedded.internal.ip.Ipv4Udp;
import io.partynet.wireguard.embedded.internal.noise.Messages;
import io.partynet.wireguard.embedded.internal.noise.StaticIdentity;
import io.partynet.wireguard.embedded.internal.noise.Timing;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Handshake retransmission and give-up against a silent peer, driven by a fake clock: no sleeping,
 * every timer fires because the test moves time and calls {@link Device#tick()}.
 */
class DeviceTimersTest {

  /** A clock frozen at an instant the test moves. */
  static final class FakeClock extends Clock {
    final AtomicLong millis = new AtomicLong(1_700_000_000_000L);

    @Override
    public long millis() {
      return millis.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @Test
  void retransmitsEveryRekeyTimeoutThenGivesUpAfterRekeyAttemptTime() throws Exception {
    SecureRandom random = new SecureRandom();
    FakeClock clock = new FakeClock();
    try (DatagramChannel silentPeer = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Device device = Device.start(new StaticIdentity(X25519.generatePrivateKey(random)),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), clock, random, 1420, 64)) {
      silentPeer.configureBlocking(false);
      Key peerKey = Key.fromBytes(X25519.publicKey(X25519.generatePrivateKey(random)));
      int port = ((InetSocketAddress) silentPeer.getLocalAddress()).getPort();
      device.addOrUpdatePeer(new PeerConfig(peerKey, null, new Endpoint("127.0.0.1", port),
          List.of(IpPrefix.parse("10.9.0.2/32")), 0));
      byte[] packet = new byte[64];
      int n = Ipv4Udp.build(packet, Ipv4Udp.parseAddress("10.9.0.1"), Ipv4Udp.parseAddress("10.9.0.2"), 1, 2, 0,
          new byte[4], 0, 4);
      assertTrue(device.send(packet, 0, n));
      int initiations = drainInitiations(silentPeer, 1);
      assertEquals(1, initiations);
      long step = (Timing.REKEY_TIMEOUT + Timing.REKEY_TIMEOUT_JITTER_MAX) / 1_000_000L + 1;
      for (int retry = 1; retry <= Timing.MAX_TIMER_HANDSHAKES + 1; retry++) {
        clock.millis.addAndGet(step);
        device.tick();
        initiations += drainInitiations(silentPeer, 1);
        assertEquals(1 + retry, initiations, "retry " + retry);
      }
      // wireguard-go's count: the first initiation and MAX_TIMER_HANDSHAKES + 1 retries, then silence.
      for (int i = 0; i < 5; i++) {
        clock.millis.addAndGet(step);
        device.tick();
      }
      assertEquals(0, drainInitiations(silentPeer, 0), "kept retrying after REKEY_ATTEMPT_TIME");
      assertFalse(device.peerStats().get(0).lastHandshake() != null);
    }
  }

  /** Reads the initiations that arrived; waits (bounded) for {@code expected} of them. */
  private static int drainInitiations(DatagramChannel channel, int expected) throws Exception {
    ByteBuffer buffer = ByteBuffer.allocate(2048);
    int count = 0;
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (true) {
      buffer.clear();
      if (channel.receive(buffer) != null) {
        assertEquals(Messages.TYPE_INITIATION, buffer.get(0));
        assertEquals(Messages.INITIATION_LENGTH, buffer.position());
        count++;
        continue;
      }
      if (count >= expected || System.nanoTime() > deadline) {
        return count;
      }
      Thread.onSpinWait();
    }
  }
}
