package io.partynet.examples.cli.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.partynet.examples.cli.PartyCommand;
import io.partynet.testing.lab.Lab;
import io.partynet.testing.lab.LabException;
import io.partynet.testing.lab.LabProcess;
import io.partynet.testing.lab.LabSite;
import io.partynet.testing.lab.LabTest;
import io.partynet.testing.lab.NatKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Link quality measured through real tunnels between a wireguard-go member (uapi backend: probes
 * through an OS socket on the TUN interface) and an embedded-backend member (probes through the
 * JVM's own stack), each on an open lab host: a delay line on one link (an NFQUEUE holder, since the
 * test kernel has no netem) shows as round-trip time, iptables {@code statistic} random drops as
 * loss within a tolerance, on both members; {@code party ping} sees the delay and reports a dead
 * link with exit code 1.
 */
@LabTest(needs = {LabTest.Need.NAT, LabTest.Need.WIREGUARD_GO}, tools = {"python3"})
class LinkQualityLabTest {
  private static final int DELAY_MS = 150;
  private static final double DROP = 0.3;
  private static final int WINDOW = 80;
  private static final Duration PROBE_INTERVAL = Duration.ofMillis(60);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
  /** A window of probes decided after a change: it then holds nothing from before. */
  private static final Duration TURNOVER = PROBE_INTERVAL.multipliedBy(WINDOW).plus(PROBE_TIMEOUT).plusSeconds(1);
  /** Three standard deviations of a loss estimate over the window (binomial), rounded up. */
  private static final double LOSS_TOLERANCE = 0.16;
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Pattern REPLY = Pattern.compile("reply from uhost \\([0-9.]+\\): seq=\\d+ time=([0-9.]+) ms.*");

  @Test
  void delayAndLossOnOneLinkShowUpAsRoundTripAndLossOnBothBackends() throws IOException {
    List<String> settings = List.of("link.probe-interval=" + PROBE_INTERVAL.toMillis() + "ms",
        "link.quality-window=" + WINDOW, "link.probe-timeout=" + PROBE_TIMEOUT.toMillis() + "ms");
    try (PartyLab party = PartyLab.start(30)) {
      Lab lab = party.lab();
      LabSite hostSite = lab.addSite(NatKind.OPEN);
      LabSite guestSite = lab.addSite(NatKind.OPEN);
      LabMember host = party.create(hostSite, "uhost", settings);
      LabMember guest = party.join(guestSite, "eguest", host.inviteCode(), settings, "embedded");
      String ns = hostSite.hostNamespace();
      String fromGuest = guestSite.hostAddress();

      Instant clean = Instant.now();
      JsonNode hostBaseline = awaitQuality(host, "eguest", clean);
      JsonNode guestBaseline = awaitQuality(guest, "uhost", clean);
      assertTrue(hostBaseline.path("loss").asDouble() <= 0.05, "a clean link loses nothing: " + hostBaseline);
      assertTrue(guestBaseline.path("loss").asDouble() <= 0.05, "a clean link loses nothing: " + guestBaseline);
      double baseRtt = Math.max(hostBaseline.path("rttMs").asDouble(), guestBaseline.path("rttMs").asDouble());
      assertTrue(baseRtt < DELAY_MS / 3.0, "the lab's own round trip is small: " + baseRtt + " ms");

      // Delay: every datagram from the guest waits DELAY_MS in the host's INPUT chain.
      Path holder = script();
      try (LabProcess delay = lab.start(ns, "nfqueue-delay", "python3", holder.toString(), "11",
          Integer.toString(DELAY_MS))) {
        delay.awaitLine(l -> l.startsWith("holding queue 11"), WAIT);
        iptables(lab, ns, "-A", "INPUT", "-p", "udp", "-s", fromGuest, "-j", "NFQUEUE", "--queue-num", "11",
            "--queue-bypass");
        Instant delayed = Instant.now();
        for (JsonNode q : List.of(awaitQuality(host, "eguest", delayed),
            awaitQuality(guest, "uhost", delayed))) {
          double rtt = q.path("rttMs").asDouble();
          assertTrue(rtt >= DELAY_MS * 0.9 && rtt <= DELAY_MS + baseRtt + 100, "round trip with " + DELAY_MS
              + " ms of delay: " + q);
          assertTrue(q.path("jitterMs").asDouble() < DELAY_MS / 3.0, "a constant delay is no jitter: " + q);
        }
        PartyCommand.Result ping = guest.command("ping", "uhost", "-c", "2");
        assertEquals(0, ping.exitCode(), ping.stdout() + ping.stderr());
        List<Double> times = ping.stdout().lines().map(REPLY::matcher).filter(Matcher::matches)
            .map(m -> Double.parseDouble(m.group(1))).toList();
        assertEquals(2, times.size(), ping.stdout());
        assertTrue(times.stream().allMatch(t -> t >= DELAY_MS * 0.9), "party ping sees the delay: " + times);
        iptables(lab, ns, "-D", "INPUT", "-p", "udp", "-s", fromGuest, "-j", "NFQUEUE", "--queue-num", "11",
            "--queue-bypass");
      }

      // Loss: DROP of every datagram from the guest drops one leg of each round trip, both ways.
      iptables(lab, ns, "-I", "INPUT", "1", "-p", "udp", "-s", fromGuest, "-m", "statistic", "--mode", "random",
          "--probability", Double.toString(DROP), "-j", "DROP");
      Instant lossy = Instant.now();
      for (JsonNode q : List.of(awaitQuality(host, "eguest", lossy),
          awaitQuality(guest, "uhost", lossy))) {
        assertEquals(DROP, q.path("loss").asDouble(), LOSS_TOLERANCE, "measured loss with " + DROP + " dropped: " + q);
        assertTrue(q.path("rttMs").asDouble() < DELAY_MS / 2.0, "the delay is gone: " + q);
      }

      // A dead link: no answer, exit code 1.
      iptables(lab, ns, "-I", "INPUT", "1", "-p", "udp", "-s", fromGuest, "-j", "DROP");
      PartyCommand.Result dead = guest.command("ping", "uhost", "-c", "1");
      assertEquals(1, dead.exitCode(), dead.stdout() + dead.stderr());
      assertTrue(dead.stdout().contains("no reply from uhost"), dead.stdout());
      assertTrue(dead.stdout().contains("1 probes sent, 0 answered, 100% loss"), dead.stdout());
    }
  }

  /**
   * {@code member}'s link quality to {@code peer} once a whole window was measured after
   * {@code since} (nothing from before it left in the figures).
   */
  private static JsonNode awaitQuality(LabMember member, String peer, Instant since) {
    Instant turnedOver = since.plus(TURNOVER);
    AtomicReference<JsonNode> last = new AtomicReference<>();
    Lab.await(member.name() + "'s window of probes to " + peer + " after " + since, WAIT, () -> {
      JsonNode status = member.status();
      JsonNode q = member.peer(status, peer).map(p -> p.path("linkQuality")).orElse(null);
      last.set(q);
      return q != null && q.path("samples").asInt() == WINDOW && q.path("rttMs").isNumber()
          && Instant.parse(q.path("measuredAt").asText()).isAfter(turnedOver);
    });
    return last.get();
  }

  private static void iptables(Lab lab, String namespace, String... rule) {
    String[] command = new String[rule.length + 1];
    command[0] = "iptables";
    System.arraycopy(rule, 0, command, 1, rule.length);
    lab.run(namespace, command).orThrow();
  }

  /** The NFQUEUE delay line, copied out of the test resources so that python3 can run it. */
  private static Path script() throws IOException {
    Path file = Files.createTempFile("nfqueue_delay", ".py");
    file.toFile().deleteOnExit();
    try (InputStream in = LinkQualityLabTest.class.getResourceAsStream("/lab/nfqueue_delay.py")) {
      if (in == null) {
        throw new LabException("lab/nfqueue_delay.py is missing from the test resources");
      }
      Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }
}
