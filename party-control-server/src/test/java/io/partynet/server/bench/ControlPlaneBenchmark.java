package io.partynet.server.bench;

import io.partynet.Endpoint;
import io.partynet.protocol.internal.CreatePartyRequest;
import io.partynet.protocol.internal.PartyResponse;
import io.partynet.protocol.internal.Protocol;
import io.partynet.server.bench.LoadClient.SimPeer;
import io.partynet.server.testing.PostgresCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Load benchmark of party-control-server (not a test). The servers run in their own JVMs
 * ({@code ServerMain}, rate limits lifted); this JVM is only the load generator. Per size (default
 * 1,000 and 10,000 peers; {@code quick}: 1,000) and per store ({@code sqlite}, {@code postgresql},
 * {@code postgresql-shared2} = two {@code --shared} instances with the peers spread over both, so
 * fan-out crosses instances), it:
 * <ol>
 *   <li>registers the peers and puts them in parties of {@value #PARTY_SIZE}, each with its event
 *       stream open, measuring the servers' heap (after a full GC, via jcmd) per party and per
 *       connected member;</li>
 *   <li>runs {@link SteadyLoad} (heartbeats every 15 s each, joins at 100/s, endpoint updates at
 *       20/s) for {@code seconds=} (default 30), printing join p50/p99/p99.9, fan-out
 *       p50/p99 (update sent until every other member's WebSocket has the event) and heartbeat p99;</li>
 *   <li>times {@value #FANOUTS_OF_16} fan-outs, one at a time, in a party of 16 (latency until all
 *       15 others have it) and the servers' CPU per update and fan-out (/proc/PID/stat).</li>
 * </ol>
 * Then a table of ratios measured in this one run. Command:
 * {@code ./bench.sh party-control-server io.partynet.server.bench.ControlPlaneBenchmark [quick|PEERS...]
 * [stores=sqlite,postgresql,postgresql-shared2] [seconds=30] [jfr=DIR]}: stores default to all three
 * when PostgreSQL's binaries are installed; {@code jfr=DIR} records the servers with JFR.
 * Runtime on the busy 2-core machine: 1-2 minutes per store at 1,000 peers, 3-4 at 10,000 (set-up
 * dominates), about 25 minutes for the default run.
 */
public final class ControlPlaneBenchmark {
  static final int PARTY_SIZE = 5;
  private static final int ROAMERS = 200;
  private static final int FANOUTS_OF_16 = 200;
  private static final int BIG_PARTY = 16;

  record Result(String store, int peers, double setupSeconds, double joinP50, double joinP99, double joinP999,
      double fanoutP50, double fanoutP99, double heartbeatP99, double heapPerPartyKiB, double heapPerMemberKiB,
      double fan16P50, double fan16P99, double cpuPerFan16Ms, String problems) {}

  private ControlPlaneBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    List<Integer> sizeArgs = new ArrayList<>();
    for (String arg : args) {
      if (arg.equals("quick")) {
        sizeArgs.add(1_000);
      } else if (arg.contains("=")) {
        options.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
      } else {
        sizeArgs.add(Integer.parseInt(arg));
      }
    }
    int[] sizes = sizeArgs.isEmpty() ? new int[] {1_000, 10_000} : sizeArgs.stream().mapToInt(i -> i).toArray();
    String defaultStores = PostgresCluster.binaries().isPresent() ? "sqlite,postgresql,postgresql-shared2" : "sqlite";
    List<String> stores = Arrays.stream(options.getOrDefault("stores", defaultStores).split(","))
        .map(String::strip).toList();
    Duration phase = Duration.ofSeconds(Integer.parseInt(options.getOrDefault("seconds", "30")));
    Path jfrDir = options.containsKey("jfr") ? Files.createDirectories(Path.of(options.get("jfr"))) : null;
    System.out.printf("servers in their own JVMs; %d-s steady phase: heartbeat every %d s per member, %d joins/s, "
        + "%d updates/s; %d cores, load average %.1f%n", phase.toSeconds(), SteadyLoad.HEARTBEAT_PERIOD.toSeconds(),
        SteadyLoad.JOINS_PER_SECOND, SteadyLoad.UPDATES_PER_SECOND, Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.printf("%-19s %6s %6s %8s %8s %8s %8s %8s %8s %9s %9s %8s %8s %9s%n", "store", "peers", "setup",
        "join p50", "join p99", "p99.9", "fan p50", "fan p99", "hb p99", "heap/pty", "heap/mbr", "fan16p50",
        "fan16p99", "cpu/fan16");
    List<Result> results = new ArrayList<>();
    for (int peers : sizes) {
      for (String store : stores) {
        Result r = new ControlPlaneBenchmark().run(store, peers, phase, jfrDir);
        results.add(r);
        System.out.printf("%-19s %6d %5.0fs %6.1fms %6.1fms %6.1fms %6.1fms %6.1fms %6.1fms %7.1fKiB %7.1fKiB "
            + "%6.2fms %6.2fms %7.2fms%n", r.store, r.peers, r.setupSeconds, r.joinP50, r.joinP99, r.joinP999,
            r.fanoutP50, r.fanoutP99, r.heartbeatP99, r.heapPerPartyKiB, r.heapPerMemberKiB, r.fan16P50, r.fan16P99,
            r.cpuPerFan16Ms);
        if (!r.problems.isEmpty()) {
          System.out.println("    " + r.problems);
        }
      }
    }
    printRatios(results, sizes);
    System.exit(0);
  }

  private Result run(String store, int peerCount, Duration phase, Path jfrDir) throws Exception {
    Path dir = Files.createTempDirectory("partynet-bench");
    long setupStart = System.nanoTime();
    try (BenchServers servers = BenchServers.start(store, dir, jfrDir)) {
      LoadClient client = new LoadClient(servers.bases());
      EventSockets sockets = new EventSockets();
      try {
        int parties = peerCount / PARTY_SIZE;
        List<SimPeer> members = client.register("p", parties * PARTY_SIZE);
        List<SimPeer> roamers = client.register("r", ROAMERS);
        List<SimPeer> bigParty = client.register("f", BIG_PARTY);
        long heapRegistered = servers.heapUsedBytes();

        Map<String, Long> seqs = new ConcurrentHashMap<>();
        List<String> partyIds = fill(client, members, parties, PARTY_SIZE, seqs);
        long heapFilled = servers.heapUsedBytes();
        sockets.openAll(members, partyOfEach(partyIds, PARTY_SIZE), seqs);
        long heapConnected = servers.heapUsedBytes();
        double setupSeconds = (System.nanoTime() - setupStart) / 1e9;

        SteadyLoad load = new SteadyLoad(client, sockets, members, partyIds, PARTY_SIZE, roamers);
        load.run(phase);
        String problems = problems(load, sockets);
        sockets.forgetUndelivered();

        Latencies fan16 = new Latencies();
        List<String> big = fill(client, bigParty, 1, BIG_PARTY, seqs);
        sockets.openAll(bigParty, partyOfEach(big, BIG_PARTY), seqs);
        double cpuBefore = servers.cpuMs();
        fanOutOneAtATime(client, sockets, bigParty, big.get(0), fan16);
        double cpuPerFanout = (servers.cpuMs() - cpuBefore) / FANOUTS_OF_16;

        return new Result(store, peerCount, setupSeconds, load.joins.ms(50), load.joins.ms(99), load.joins.ms(99.9),
            load.fanouts.ms(50), load.fanouts.ms(99), load.heartbeats.ms(99),
            (heapFilled - heapRegistered) / 1024.0 / parties, (heapConnected - heapFilled) / 1024.0 / members.size(),
            fan16.ms(50), fan16.ms(99), cpuPerFanout, problems);
      } finally {
        sockets.close();
        client.close();
      }
    }
  }

  /** Creates {@code parties} parties, each hosted by its first peer, and joins the rest; answers the party ids. */
  private static List<String> fill(LoadClient client, List<SimPeer> peers, int parties, int size, Map<String, Long> seqs) {
    String[] ids = new String[parties];
    client.all(parties, i -> client.call(peers.get(i * size), "POST", Protocol.PARTIES,
        new CreatePartyRequest("bench " + i, peers.get(i * size).member()))
        .thenAccept(body -> ids[i] = LoadClient.read(body, PartyResponse.class).party().partyId()));
    client.all(parties * (size - 1), j -> {
      String party = ids[j / (size - 1)];
      SimPeer guest = peers.get(j / (size - 1) * size + 1 + j % (size - 1));
      return client.call(guest, "POST", Protocol.members(party), guest.member())
          .thenAccept(body -> seqs.merge(party, LoadClient.read(body, PartyResponse.class).seq(), Math::max));
    });
    return List.of(ids);
  }

  private static List<String> partyOfEach(List<String> partyIds, int size) {
    List<String> result = new ArrayList<>();
    partyIds.forEach(id -> result.addAll(java.util.Collections.nCopies(size, id)));
    return result;
  }

  /** Updates, one at a time, each waited for until all 15 other members have it. */
  private static void fanOutOneAtATime(LoadClient client, EventSockets sockets, List<SimPeer> members, String party,
      Latencies into) throws Exception {
    for (int n = 0; n < FANOUTS_OF_16; n++) {
      SimPeer mover = members.get(1 + n % (members.size() - 1));
      int port = sockets.expect(party, members.size() - 1, into);
      client.call(mover, "PUT", Protocol.member(party, mover.id()),
          mover.member().withEndpoint(new Endpoint("198.51.100.2", port))).get(30, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!sockets.delivered(party, port)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("a fan-out to 15 members did not arrive within 30 s");
        }
        Thread.onSpinWait();
      }
    }
  }

  private static String problems(SteadyLoad load, EventSockets sockets) {
    List<String> problems = new ArrayList<>();
    if (load.errors.get() > 0) {
      problems.add(load.errors.get() + " failed requests (first: " + load.firstError.get() + ")");
    }
    if (load.joinsSkipped > 0) {
      problems.add(load.joinsSkipped + " joins not sent: every roaming peer was still in a party");
    }
    if (sockets.undelivered() > 0) {
      problems.add(sockets.undelivered() + " of " + load.updatesSent + " updates never reached every member");
    }
    return String.join("; ", problems);
  }

  private static void printRatios(List<Result> results, int[] sizes) {
    System.out.println("ratios in this run (p99s; fan16 p50; CPU per fan-out):");
    for (int peers : sizes) {
      Map<String, Result> byStore = new HashMap<>();
      results.stream().filter(r -> r.peers == peers).forEach(r -> byStore.put(r.store, r));
      ratio(peers, "postgresql/sqlite", byStore.get("postgresql"), byStore.get("sqlite"));
      ratio(peers, "shared2/postgresql", byStore.get("postgresql-shared2"), byStore.get("postgresql"));
    }
  }

  private static void ratio(int peers, String name, Result a, Result b) {
    if (a == null || b == null) {
      return;
    }
    System.out.printf("  %6d peers %-19s join %.2fx  fan-out %.2fx  fan16 %.2fx  cpu/fan16 %.2fx%n", peers, name,
        a.joinP99 / b.joinP99, a.fanoutP99 / b.fanoutP99, a.fan16P50 / b.fan16P50, a.cpuPerFan16Ms / b.cpuPerFan16Ms);
  }
}
