package io.partynet.examples.cli.bench;

import io.partynet.testing.lab.LabSite;
import io.partynet.testing.lab.Lab;
import io.partynet.testing.lab.LabCondition;
import io.partynet.testing.lab.LabTest;
import io.partynet.examples.cli.lab.LabMember;
import io.partynet.examples.cli.lab.NatPair;
import io.partynet.examples.cli.lab.PartyLab;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Time from {@code party join} returning to the first packet through the tunnel, per NAT pair,
 * median of N joins (default 10), next to the signalling round trip to the control plane server
 * measured from the joiner's host (the physical floor of anything the control plane coordinates)
 * and the floor of the measurement itself (the same ping command to the server's public address,
 * no tunnel). Needs root, the NAT lab tools, wireguard-go, and about a minute per pair per join
 * round on two cores; run by hand (see docs/nat-traversal.md):
 *
 * <pre>
 * ./bench.sh examples/party-cli io.partynet.examples.cli.bench.NatPairBenchmark [N]
 * </pre>
 *
 * <p>One creator per pair stays in its party; a fresh joiner (new JVM, new identity) joins N times,
 * one at a time, and leaves after its first ping. Pairs run one after the other. Not thread-safe (a main).
 */
public final class NatPairBenchmark {
  private static final Duration FIRST_PING = Duration.ofSeconds(30);
  /** Echo requests every 5 ms until the first answer: the time resolution of a first ping. */
  private static final String PING_INTERVAL = "0.005";

  private NatPairBenchmark() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    LabCondition.missing(LabTest.Need.NAT, LabTest.Need.WIREGUARD_GO).ifPresent(missing -> {
      throw new IllegalStateException("the benchmark cannot run here: " + missing);
    });
    StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-36s %8s %8s %8s %10s %10s %8s%n",
        "pair (creator / joiner)", "median", "min", "max", "signal RTT", "TCP conn", "floor"));
    try (PartyLab party = PartyLab.start(30)) {
      for (NatPair pair : NatPair.all()) {
        String row = measure(party, pair, rounds);
        System.out.print(row);
        table.append(row);
      }
    }
    System.out.println("\njoin -> first ping through the tunnel, median of " + rounds + " joins (ms); signal RTT: "
        + "HTTP GET /v1/health on an open TCP connection to the control plane server, TCP conn: its TCP handshake, "
        + "floor: the same ping command to the server's public address (no tunnel); all from the joiner's host.");
    System.out.print(table);
  }

  private static String measure(PartyLab party, NatPair pair, int rounds) {
    LabSite hostSite = party.lab().addSite(pair.host());
    LabSite guestSite = party.lab().addSite(pair.guest());
    List<Long> firstPing = new ArrayList<>();
    try (LabMember host = party.create(hostSite, "bench-host")) {
      for (int i = 0; i < rounds; i++) {
        try (LabMember guest = party.join(guestSite, "bench-guest-" + i, host.inviteCode())) {
          long joined = guest.joinedAtNanos();
          if (!party.ping(guest.site(), host.virtualIp(), FIRST_PING, PING_INTERVAL)) {
            throw new IllegalStateException(pair + ": no ping through the tunnel within " + FIRST_PING
                + "\n" + guest.log());
          }
          firstPing.add((System.nanoTime() - joined) / 1_000_000);
        }
      }
    }
    double[] signalling = signallingRoundTrip(party, guestSite);
    List<Long> floor = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      long start = System.nanoTime();
      party.ping(guestSite, party.serverSite().hostAddress(), FIRST_PING, PING_INTERVAL);
      floor.add((System.nanoTime() - start) / 1_000_000);
    }
    Collections.sort(firstPing);
    Collections.sort(floor);
    return String.format(Locale.ROOT, "%-36s %8d %8d %8d %10.2f %10.2f %8d%n", pair, median(firstPing),
        firstPing.get(0), firstPing.get(firstPing.size() - 1), signalling[0], signalling[1], median(floor));
  }

  /** Medians (ms) of the request round trip and of the TCP handshake of ten health requests with curl. */
  private static double[] signallingRoundTrip(PartyLab party, LabSite from) {
    List<Double> request = new ArrayList<>();
    List<Double> connect = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String out = party.lab().run(from.hostNamespace(), "curl", "-s", "-o", "/dev/null", "-w",
          "%{time_connect} %{time_starttransfer}", party.serverUrl() + "/v1/health").orThrow().output().strip();
      String[] t = out.split(" ");
      double tcp = Double.parseDouble(t[0]) * 1000;
      connect.add(tcp);
      request.add(Double.parseDouble(t[1]) * 1000 - tcp);
    }
    Collections.sort(request);
    Collections.sort(connect);
    return new double[] {request.get(request.size() / 2), connect.get(connect.size() / 2)};
  }

  private static long median(List<Long> sorted) {
    return sorted.get(sorted.size() / 2);
  }
}
