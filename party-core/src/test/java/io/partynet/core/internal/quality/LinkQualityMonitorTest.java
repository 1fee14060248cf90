package io.partynet.core.internal.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.ConnectionType;
import io.partynet.LinkQuality;
import io.partynet.PartyException;
import io.partynet.core.internal.connection.LatencyProber;
import io.partynet.core.internal.connection.OsDatagramSocket;
import io.partynet.testing.Eventually;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two monitors on real UDP sockets (127.0.0.1 and 127.0.0.2 standing in for two virtual IPs) and
 * a member that never answers (127.0.0.3): answered probes, lost probes, one-off pings, forged
 * answers, and what is reported.
 */
class LinkQualityMonitorTest {
  private static final QualitySettings FAST = new QualitySettings(Duration.ofMillis(40), Duration.ofMillis(400), 10,
      Duration.ZERO);

  @Test
  void measuresAnAnsweringMemberAndCountsASilentOneAsLost() throws Exception {
    int port = freePort();
    try (LinkQualityMonitor a = monitor("127.0.0.1", port); LinkQualityMonitor b = monitor("127.0.0.2", port)) {
      a.start();
      b.start();
      a.track("bob", "127.0.0.2");
      a.track("carol", "127.0.0.3");
      Eventually.until(Duration.ofSeconds(20), () -> samples(a, "bob") == 10 && samples(a, "carol") == 10,
          "ten probes decided for each member");

      LinkQuality bob = figures(a, "bob").orElseThrow();
      assertEquals(0.0, bob.loss(), "every probe to an answering member came back: " + bob);
      assertNotNull(bob.rttMs());
      assertNotNull(bob.jitterMs());
      LinkQuality carol = figures(a, "carol").orElseThrow();
      assertEquals(1.0, carol.loss(), "nothing came back from the silent member: " + carol);
      assertNull(carol.rttMs());

      List<LinkQualityMonitor.Report> first = a.reportable(peer -> ConnectionType.DIRECT);
      assertEquals(2, first.size(), "both members' first measurements are reported: " + first);
      List<LinkQualityMonitor.Report> moved = a.reportable(peer -> ConnectionType.RELAY);
      assertEquals(2, moved.size(), "a path change is reported for both: " + moved);
      assertTrue(moved.stream().allMatch(r -> r.quality().path() == ConnectionType.RELAY));

      a.untrack("bob");
      assertTrue(figures(a, "bob").isEmpty());
    }
  }

  @Test
  void aMemberThatStopsAnsweringBecomesSilentOneThatNeverAnsweredIsUnknown() throws Exception {
    int port = freePort();
    try (LinkQualityMonitor a = monitor("127.0.0.1", port)) {
      LinkQualityMonitor b = monitor("127.0.0.2", port);
      a.start();
      b.start();
      a.track("bob", "127.0.0.2");
      a.track("carol", "127.0.0.3");
      Eventually.until(Duration.ofSeconds(20), () -> figures(a, "bob").orElseThrow().rttMs() != null,
          "bob answered");
      LinkQualityMonitor.Presence answering = a.presence("bob", Duration.ofSeconds(6), ConnectionType.DIRECT);
      assertFalse(answering.silent(), "bob answers");
      assertTrue(answering.quality().isPresent(), "an answering member shows its figures");
      assertFalse(a.presence("carol", Duration.ofMillis(1), ConnectionType.DIRECT).silent(),
          "a member that never answered is unknown, not silent");
      assertEquals(LinkQualityMonitor.Presence.UNKNOWN, a.presence("dave", Duration.ofMillis(1), ConnectionType.DIRECT),
          "an untracked member is unknown");
      b.close(); // bob crashes
      Eventually.until(Duration.ofSeconds(20), () -> a.presence("bob", Duration.ofMillis(300), ConnectionType.DIRECT).silent(),
          "bob silent past the limit once his answers stopped");
    }
  }

  @Test
  void answersFromAnotherAddressThanTheProbedOneAreIgnored() throws Exception {
    int port = freePort();
    try (LinkQualityMonitor a = monitor("127.0.0.1", port)) {
      a.start();
      a.track("carol", "127.0.0.3");
      Eventually.until(Duration.ofSeconds(20), () -> samples(a, "carol") >= 3, "probes to carol decided");
      for (int round = 0; round < 20; round++) {
        for (long seq = 1; seq <= 500; seq++) {
          a.pong("127.0.0.9", seq, System.nanoTime()); // every possible in-flight probe, from a stranger
        }
      }
      Eventually.until(Duration.ofSeconds(20), () -> samples(a, "carol") == 10, "the window filled");
      assertEquals(1.0, figures(a, "carol").orElseThrow().loss(),
          "a stranger's answers never count as the member's");
    }
  }

  @Test
  void aOneOffPingMeasuresOrTimesOut() throws Exception {
    int port = freePort();
    try (LinkQualityMonitor a = monitor("127.0.0.1", port); LinkQualityMonitor b = monitor("127.0.0.2", port)) {
      a.start();
      b.start();
      double rtt = a.ping("127.0.0.2", Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
      assertTrue(rtt >= 0, "round trip " + rtt);

      ExecutionException silent = assertThrows(ExecutionException.class,
          () -> a.ping("127.0.0.3", Duration.ofMillis(200)).get(10, TimeUnit.SECONDS));
      PartyException cause = assertInstanceOf(PartyException.class, silent.getCause());
      assertEquals(PartyException.Reason.TIMEOUT, cause.reason());
      assertTrue(figures(a, "bob").isEmpty(), "one-off pings do not create a measured link");
    }
  }

  @Test
  void closingFailsThePingsInFlight() throws Exception {
    int port = freePort();
    LinkQualityMonitor a = monitor("127.0.0.1", port);
    a.start();
    var pending = a.ping("127.0.0.3", Duration.ofMinutes(1));
    a.close();
    ExecutionException e = assertThrows(ExecutionException.class, () -> pending.get(10, TimeUnit.SECONDS));
    assertEquals(PartyException.Reason.NOT_IN_PARTY, ((PartyException) e.getCause()).reason());
  }

  private static LinkQualityMonitor monitor(String ip, int port) throws java.io.IOException {
    OsDatagramSocket socket = OsDatagramSocket.bind(ip, port);
    return new LinkQualityMonitor(pongs -> new LatencyProber(socket, port, System::nanoTime, pongs), FAST,
        System::nanoTime, Clock.systemUTC());
  }

  private static int samples(LinkQualityMonitor monitor, String peer) {
    return figures(monitor, peer).map(LinkQuality::samples).orElse(0);
  }

  private static int freePort() throws java.io.IOException {
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      return probe.getLocalPort();
    }
  }

  /** The current figures of {@code peerId} on a direct path; a day's silence limit never hides them here. */
  private static Optional<LinkQuality> figures(LinkQualityMonitor monitor, String peerId) {
    return monitor.presence(peerId, Duration.ofDays(1), ConnectionType.DIRECT).quality();
  }
}
