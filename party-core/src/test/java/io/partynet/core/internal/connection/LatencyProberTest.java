package io.partynet.core.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.testing.Eventually;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Two probers on real UDP sockets, 127.0.0.1 and 127.0.0.2 standing in for two virtual IPs. */
class LatencyProberTest {

  @Test
  void aPingIsAnsweredAndTheRoundTripRecorded() throws Exception {
    int port;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      port = probe.getLocalPort();
    }
    AtomicLong nanos = new AtomicLong(1_000_000_000L);
    try (LatencyProber a = new LatencyProber(OsDatagramSocket.bind("127.0.0.1", port), port, nanos::get);
         LatencyProber b = new LatencyProber(OsDatagramSocket.bind("127.0.0.2", port), port, System::nanoTime)) {
      Thread serveA = new Thread(a::serve, "prober-a");
      Thread serveB = new Thread(b::serve, "prober-b");
      serveA.start();
      serveB.start();
      a.ping("127.0.0.2");
      // The pong carries A's own send time back; A's clock says 7 ms passed meanwhile.
      nanos.addAndGet(7_000_000L);
      Eventually.until(Duration.ofSeconds(5), () -> a.latencyMs("127.0.0.2").isPresent(), "A measured B");
      assertEquals(7.0, a.latencyMs("127.0.0.2").orElseThrow(), 1e-9);
      assertTrue(b.latencyMs("127.0.0.1").isEmpty(), "answering a ping measures nothing");

      try (DatagramSocket stranger = new DatagramSocket(0, InetAddress.getByName("127.0.0.3"))) {
        byte[] forgedPong = new ProbeMessage(true, 999, 0).encode().array();
        stranger.send(new DatagramPacket(forgedPong, forgedPong.length, InetAddress.getByName("127.0.0.1"), port));
        byte[] junk = "not a probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        stranger.send(new DatagramPacket(junk, junk.length, InetAddress.getByName("127.0.0.1"), port));
        a.ping("127.0.0.2");
        Eventually.until(Duration.ofSeconds(5), () -> a.latencyMs("127.0.0.2").orElse(7.0) == 0.0, "second ping measured");
      }
      assertTrue(a.latencyMs("127.0.0.3").isEmpty(), "a pong for a ping never sent is ignored");

      // Presence: B answered, so it is silent only once its answers stop for longer than the limit.
      assertFalse(a.silentFor("127.0.0.2", Duration.ofSeconds(6)));
      assertFalse(a.silentFor("127.0.0.9", Duration.ofSeconds(6)), "a member that never answered is unknown");
      b.close();
      nanos.addAndGet(Duration.ofSeconds(6).toNanos());
      assertFalse(a.silentFor("127.0.0.2", Duration.ofSeconds(6)), "at the limit");
      nanos.addAndGet(1);
      assertTrue(a.silentFor("127.0.0.2", Duration.ofSeconds(6)), "past the limit");
      a.forget("127.0.0.2");
      assertTrue(a.latencyMs("127.0.0.2").isEmpty());
    }
  }

  @Property
  void probeMessagesRoundTrip(@ForAll boolean pong, @ForAll long seq, @ForAll long sent) {
    ProbeMessage m = new ProbeMessage(pong, seq, sent);
    assertEquals(Optional.of(m), ProbeMessage.decode(m.encode().array()));
  }

  @Property
  void arbitraryBytesAreNeverMistakenForProbesUnlessWellFormed(@ForAll byte[] bytes) {
    Optional<ProbeMessage> decoded = ProbeMessage.decode(bytes);
    decoded.ifPresent(m -> assertEquals(bytes.length, ProbeMessage.SIZE));
  }
}
