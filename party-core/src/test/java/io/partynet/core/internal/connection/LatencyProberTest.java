package io.partynet.core.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Two probers on real UDP sockets, 127.0.0.1 and 127.0.0.2 standing in for two virtual IPs. */
class LatencyProberTest {

  @Test
  void aPingIsAnsweredAndOnlyRealAnswersAreHandedOn() throws Exception {
    int port;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      port = probe.getLocalPort();
    }
    AtomicLong nanos = new AtomicLong(1_000_000_000L);
    BlockingQueue<String> pongsOfA = new LinkedBlockingQueue<>();
    BlockingQueue<String> pongsOfB = new LinkedBlockingQueue<>();
    try (LatencyProber a = new LatencyProber(OsDatagramSocket.bind("127.0.0.1", port), port, nanos::get,
             (ip, seq, at) -> pongsOfA.add(ip + " " + seq + " " + at));
         LatencyProber b = new LatencyProber(OsDatagramSocket.bind("127.0.0.2", port), port, System::nanoTime,
             (ip, seq, at) -> pongsOfB.add(ip + " " + seq))) {
      Thread serveA = new Thread(a::serve, "prober-a");
      Thread serveB = new Thread(b::serve, "prober-b");
      serveA.start();
      serveB.start();
      long seq = a.nextSeq();
      nanos.addAndGet(7_000_000L);
      assertTrue(a.ping("127.0.0.2", seq));
      assertEquals("127.0.0.2 " + seq + " 1007000000", pongsOfA.poll(5, TimeUnit.SECONDS),
          "B answered, timed by A's clock on arrival");

      try (DatagramSocket stranger = new DatagramSocket(0, InetAddress.getByName("127.0.0.3"))) {
        byte[] unsolicited = new ProbeMessage(true, 999, 0).encode().array();
        stranger.send(new DatagramPacket(unsolicited, unsolicited.length, InetAddress.getByName("127.0.0.1"), port));
        byte[] junk = "not a probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        stranger.send(new DatagramPacket(junk, junk.length, InetAddress.getByName("127.0.0.1"), port));
        long second = a.nextSeq();
        a.ping("127.0.0.2", second);
        assertEquals("127.0.0.2 " + second + " 1007000000", pongsOfA.poll(5, TimeUnit.SECONDS),
            "a pong for a sequence number never issued and junk are not handed on");
      }
      assertTrue(pongsOfB.isEmpty(), "answering a ping is not a pong");
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
