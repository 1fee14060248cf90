package io.partynet.examples.cli.bench;

import io.partynet.testing.lab.LabSite;
import io.partynet.testing.lab.Lab;
import io.partynet.testing.lab.LabCondition;
import io.partynet.testing.lab.LabTest;
import io.partynet.testing.lab.NatKind;
import io.partynet.examples.cli.lab.LabMember;
import io.partynet.examples.cli.lab.NatPair;
import io.partynet.examples.cli.lab.PartyLab;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Time from {@code party join} starting (process start: JVM, control plane, the WireGuard port's
 * mapping, the join itself) and from it returning to the first packet through the tunnel, per NAT
 * pair and for two members behind one router (LAN path), median and p95 of N joins (default 10),
 * with the ratio of the median to the signalling round trip, next to the signalling round trip to the control plane server
 * measured from the joiner's host (the physical floor of anything the control plane coordinates)
 * and the floor of the measurement itself (the same ping command to the server's public address,
 * no tunnel). Needs root, the NAT lab tools, wireguard-go, and about a minute per pair per join
 * round on two cores; run by hand (see docs/nat-traversal.md):
 *
 * <pre>
 * ./bench.sh examples/party-cli io.partynet.examples.cli.bench.NatPairBenchmark [N] [quick]
 * </pre>
 *
 * <p>One creator per pair stays in its party; a fresh joiner (new JVM, new identity) joins N times,
 * one at a time, and leaves after its first ping. Pairs run one after the other; {@code quick} runs
 * one pair per kind of path only (open / open direct, port-restricted pair punched, port-restricted /
 * symmetric relayed) besides the LAN row. Last, the time a {@code party join} with an unknown invite
 * code takes from process start to its refusal, next to {@code party help} (the JVM and CLI start
 * alone): their difference is what the refusal costs. Not thread-safe (a main).
 */
public final class NatPairBenchmark {
  private static final Duration FIRST_PING = Duration.ofSeconds(30);
  /** Echo requests every 5 ms until the first answer: the time resolution of a first ping. */
  private static final String PING_INTERVAL = "0.005";
  /** A well-formed invite code no party has. */
  private static final String UNKNOWN_CODE = "7KQ2-M9XD-4RTX";
  private static final List<NatPair> QUICK = List.of(new NatPair(NatKind.OPEN, NatKind.OPEN),
      new NatPair(NatKind.PORT_RESTRICTED_CONE, NatKind.PORT_RESTRICTED_CONE),
      new NatPair(NatKind.PORT_RESTRICTED_CONE, NatKind.SYMMETRIC));

  private NatPairBenchmark() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    List<NatPair> pairs = args.length > 1 && args[1].equals("quick") ? QUICK : NatPair.all();
    LabCondition.missing(LabTest.Need.NAT, LabTest.Need.WIREGUARD_GO).ifPresent(missing -> {
      throw new IllegalStateException("the benchmark cannot run here: " + missing);
    });
    StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
        "%-36s %8s %8s %8s %8s %8s %10s %8s %8s%n", "pair (creator / joiner)", "start", "s p95", "joined", "median",
        "p95", "signal RTT", "ratio", "floor"));
    try (PartyLab party = PartyLab.start(30)) {
      for (NatPair pair : pairs) {
        String row = measure(party, pair.toString(), party.lab().addSite(pair.host()),
            party.lab().addSite(pair.guest()), rounds);
        System.out.print(row);
        table.append(row);
      }
      List<LabSite> home = party.lab().addSharedSite(NatKind.PORT_RESTRICTED_CONE, 2);
      String row = measure(party, "same router (LAN)", home.get(0), home.get(1), rounds);
      System.out.print(row);
      table.append(row);
      table.append(refusal(party, party.lab().addSite(NatKind.PORT_RESTRICTED_CONE), rounds));
    }
    System.out.println("\nms, over " + rounds + " joins: start = process start -> first ping through the tunnel "
        + "(median, p95); joined = process start -> join returned (median: JVM, control plane, mapping, join); "
        + "median/p95 = join returned -> first ping; signal RTT: HTTP GET /v1/health on an open TCP connection to "
        + "the control plane server; ratio = median / signal RTT; floor: the same ping command to the server's "
        + "public address (no tunnel); all from the joiner's host, all in this one run.");
    System.out.print(table);
  }

  private static String measure(PartyLab party, String pair, LabSite hostSite, LabSite guestSite, int rounds) {
    List<Long> firstPing = new ArrayList<>();
    List<Long> fromStart = new ArrayList<>();
    List<Long> toJoined = new ArrayList<>();
    try (LabMember host = party.create(hostSite, "bench-host")) {
      for (int i = 0; i < rounds; i++) {
        try (LabMember guest = party.join(guestSite, "bench-guest-" + i, host.inviteCode())) {
          long joined = guest.joinedAtNanos();
          if (!party.ping(guest.site(), host.virtualIp(), FIRST_PING, PING_INTERVAL)) {
            throw new IllegalStateException(pair + ": no ping through the tunnel within " + FIRST_PING
                + "\n" + guest.log());
          }
          long now = System.nanoTime();
          firstPing.add((now - joined) / 1_000_000);
          fromStart.add((now - guest.startedAtNanos()) / 1_000_000);
          toJoined.add((joined - guest.startedAtNanos()) / 1_000_000);
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
    Collections.sort(fromStart);
    Collections.sort(toJoined);
    Collections.sort(floor);
    return String.format(Locale.ROOT, "%-36s %8d %8d %8d %8d %8d %10.2f %8.0f %8d%n", pair, median(fromStart),
        p95(fromStart), median(toJoined), median(firstPing), p95(firstPing), signalling[0],
        median(firstPing) / Math.max(0.01, signalling[0]), median(floor));
  }

  /** Process start to exit of {@code party join UNKNOWN_CODE} and of {@code party help}, medians of N each. */
  private static String refusal(PartyLab party, LabSite site, int rounds) {
    List<Long> refused = new ArrayList<>();
    List<Long> help = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      refused.add(party.timeRefusedJoin(site, "bench-refused-" + i, UNKNOWN_CODE).toMillis());
      help.add(party.timeCli(site, "help").toMillis());
    }
    Collections.sort(refused);
    Collections.sort(help);
    return String.format(Locale.ROOT, "%nunknown invite code, process start -> refused: median %d ms, p95 %d ms; "
        + "party help (JVM + CLI start): median %d ms; the refusal itself: %d ms%n", median(refused), p95(refused),
        median(help), median(refused) - median(help));
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

  private static long p95(List<Long> sorted) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.95) - 1));
  }
}
