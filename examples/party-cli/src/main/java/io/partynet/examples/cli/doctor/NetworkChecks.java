package io.partynet.examples.cli.doctor;

import io.partynet.Endpoint;
import io.partynet.PartyConfig;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The checks of the network: the control plane server (answers, how fast, its clock against
 * ours), every configured STUN server (answers over UDP, how fast) and the NAT type those answers
 * imply. Nothing is contacted that the settings do not name.
 *
 * <p>Stateless and thread-safe.
 */
final class NetworkChecks {
  static final Duration TIMEOUT = Duration.ofSeconds(3);
  /** Beyond this, TURN credentials and the server's timestamps start to disagree with ours. */
  static final Duration SKEW_WARN = Duration.ofSeconds(30);
  static final Duration SKEW_FAIL = Duration.ofMinutes(5);

  private NetworkChecks() {}

  /** The server's health endpoint and its clock; nothing when the local control plane is used. */
  static List<Check> controlServer(PartyConfig config) {
    List<Check> checks = new ArrayList<>();
    if (!"remote".equals(config.controlMode())) {
      checks.add(Check.pass("control plane", "control.mode=" + config.controlMode()
          + ": no server needed (members find each other through " + config.discoveryFile() + ")"));
      return checks;
    }
    URI server = config.controlServer();
    if (server == null) {
      checks.add(Check.fail("control plane", "control.mode=remote but control.server-url is empty",
          "pass --server http://HOST:PORT or set control.server-url"));
      return checks;
    }
    URI health = server.resolve("/v1/health");
    HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER)
        .build();
    long started = System.nanoTime();
    HttpResponse<String> response;
    try {
      response = client.send(HttpRequest.newBuilder(health).timeout(TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      checks.add(Check.fail("control plane", server + " does not answer: " + describe(e),
          "check the URL, that the server runs and that a firewall lets TCP through to it"));
      return checks;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      checks.add(Check.fail("control plane", "interrupted", ""));
      return checks;
    }
    Instant received = Instant.now();
    double ms = (System.nanoTime() - started) / 1e6;
    if (response.statusCode() != 200 || !response.body().contains("\"ok\"")) {
      checks.add(Check.fail("control plane", server + " answered " + response.statusCode() + " on /v1/health: not a "
          + "PartyNet server, or an unhealthy one", "check the URL (scheme, host, port)"));
      return checks;
    }
    checks.add(Check.pass("control plane", String.format(Locale.ROOT, "%s answers in %.0f ms", server, ms)));
    checks.add(clock(response.headers().firstValue("Date"), received, ms));
    return checks;
  }

  /** Our clock against the server's {@code Date} header (one-second resolution, half the round trip allowed). */
  static Check clock(Optional<String> dateHeader, Instant received, double rttMs) {
    if (dateHeader.isEmpty()) {
      return Check.warn("clock", "the server sent no Date header; the clocks cannot be compared", "");
    }
    Instant serverTime;
    try {
      serverTime = ZonedDateTime.parse(dateHeader.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return Check.warn("clock", "the server's Date header does not parse: " + dateHeader.get(), "");
    }
    // The header is truncated to the second and was written somewhere within the round trip.
    Duration skew = Duration.between(serverTime, received).abs().minusMillis(1000 + (long) rttMs);
    skew = skew.isNegative() ? Duration.ZERO : skew;
    String detail = "this clock and the server's differ by " + (skew.isZero() ? "less than a second"
        : "at least " + skew.toSeconds() + " s");
    if (skew.compareTo(SKEW_FAIL) > 0) {
      return Check.fail("clock", detail, "set the clock (enable NTP: timedatectl set-ntp true); TURN credentials "
          + "and expiring invites go wrong with a clock this far off");
    }
    if (skew.compareTo(SKEW_WARN) > 0) {
      return Check.warn("clock", detail, "enable NTP (timedatectl set-ntp true)");
    }
    return Check.pass("clock", detail);
  }

  /**
   * Every STUN server from one UDP socket (as WireGuard's port would be seen), then the NAT type:
   * no NAT when the mapped address is one of ours, endpoint-independent mapping when every server
   * (and a server's alternate address) sees the same mapped address, symmetric when they differ.
   */
  static List<Check> stunAndNat(PartyConfig config) {
    List<Check> checks = new ArrayList<>();
    List<Endpoint> servers = config.stunServers();
    if (servers.isEmpty()) {
      checks.add(Check.warn("stun", "no STUN server configured (nat.stun-servers)",
          "set nat.stun-servers=IP:PORT (two servers, or one with RFC 5780, tell the NAT type); without one the "
              + "NAT type stays UNKNOWN and other members reach this one through the relay"));
      checks.add(Check.warn("nat", "NAT type UNKNOWN: nothing to ask", "configure STUN servers (see above)"));
      return checks;
    }
    List<InetSocketAddress> mapped = new ArrayList<>();
    try (DatagramSocket socket = new DatagramSocket(0)) {
      Optional<InetSocketAddress> alternate = Optional.empty();
      for (Endpoint server : servers) {
        Optional<StunProbe.Answer> answer = StunProbe.bind(socket, server.toSocketAddress(), TIMEOUT);
        if (answer.isEmpty()) {
          checks.add(Check.fail("stun " + server, "no answer over UDP within " + TIMEOUT.toSeconds() + " s",
              "check the address, and that a firewall lets UDP out to it and back"));
          continue;
        }
        StunProbe.Answer a = answer.get();
        mapped.add(a.mapped());
        if (alternate.isEmpty()) {
          alternate = a.other();
        }
        checks.add(Check.pass("stun " + server, String.format(Locale.ROOT, "answers in %.0f ms; sees this host at %s",
            a.rttMs(), format(a.mapped()))));
      }
      if (alternate.isPresent() && !mapped.isEmpty()) {
        StunProbe.bind(socket, alternate.get(), TIMEOUT).ifPresent(a -> mapped.add(a.mapped()));
      }
      checks.add(natType(mapped, socket.getLocalPort()));
    } catch (IOException e) {
      checks.add(Check.fail("stun", "cannot send UDP: " + describe(e), "check the network connection"));
    }
    return checks;
  }

  /**
   * The TURN relay ({@code nat.turn-server}) answers a STUN Binding request over UDP (TURN servers
   * do, without credentials); whether the credentials work shows only when a relay is allocated.
   */
  static List<Check> turnServer(PartyConfig config) {
    String server = config.setting("nat.turn-server", "").strip();
    if (server.isEmpty()) {
      return List.of(Check.warn("turn", "no TURN relay configured (nat.turn-server)",
          "members behind symmetric NATs cannot reach each other without one; configure one, or use a control "
              + "plane server started with --turn"));
    }
    Endpoint endpoint;
    try {
      endpoint = Endpoint.parse(server);
    } catch (IllegalArgumentException e) {
      return List.of(Check.fail("turn", "nat.turn-server is not IP:PORT: " + server, "set it to the relay's IP:PORT"));
    }
    try (DatagramSocket socket = new DatagramSocket(0)) {
      Optional<StunProbe.Answer> answer = StunProbe.bind(socket, endpoint.toSocketAddress(), TIMEOUT);
      return List.of(answer.isPresent()
          ? Check.pass("turn " + endpoint, String.format(Locale.ROOT, "answers in %.0f ms", answer.get().rttMs()))
          : Check.fail("turn " + endpoint, "no answer over UDP within " + TIMEOUT.toSeconds() + " s",
              "check the address, and that a firewall lets UDP out to it and back"));
    } catch (IOException e) {
      return List.of(Check.fail("turn " + endpoint, "cannot send UDP: " + describe(e), "check the network connection"));
    }
  }

  static Check natType(List<InetSocketAddress> mapped, int localPort) {
    if (mapped.isEmpty()) {
      return Check.fail("nat", "NAT type UNKNOWN: no STUN server answered",
          "UDP may be blocked on this network; members then need a TURN relay (nat.turn-server)");
    }
    InetSocketAddress first = mapped.get(0);
    if (isLocal(first.getAddress()) && first.getPort() == localPort) {
      return Check.pass("nat", "no NAT: this host is reachable at its own address " + format(first));
    }
    if (mapped.size() < 2) {
      return Check.warn("nat", "behind a NAT (seen at " + format(first) + "); its mapping cannot be told with one "
          + "answer", "add a second STUN server, or use one with RFC 5780 (coturn does)");
    }
    boolean same = mapped.stream().allMatch(first::equals);
    return same ? Check.pass("nat", "behind a NAT with endpoint-independent mapping (cone): direct paths to "
        + "other members can be punched")
        : Check.warn("nat", "symmetric NAT: every server sees another port (" + mapped.stream()
            .map(NetworkChecks::format).distinct().toList() + ")",
            "direct paths fail between two symmetric NATs: configure a TURN relay (nat.turn-server), or enable "
                + "UPnP/NAT-PMP on the router");
  }

  private static boolean isLocal(InetAddress address) {
    try {
      return NetworkInterface.getByInetAddress(address) != null;
    } catch (SocketException e) {
      return false;
    }
  }

  private static String format(InetSocketAddress a) {
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  private static String describe(Exception e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
