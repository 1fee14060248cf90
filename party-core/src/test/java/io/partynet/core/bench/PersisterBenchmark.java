package io.partynet.core.bench;

import io.partynet.core.internal.json.Json;
import io.partynet.protocol.internal.files.AtomicFiles;
import io.partynet.core.internal.persist.WriteBehindStatePersister;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Compares the write-behind persister with writing every update atomically: the same updates
 * (a party of eight members whose heartbeat and latency change) go through
 * {@link WriteBehindStatePersister} and through one {@link AtomicFiles#write} per update. Prints
 * disk writes, time and the ratios. Not a test; see docs/benchmarks.md for how to run it.
 *
 * <p>Arguments: {@code --updates N} (default 100000), {@code --baseline-updates M} (default
 * 2000; the write-every-update time is measured over M updates and scaled to N, because at a few
 * milliseconds per fsync the full run takes minutes; pass M = N for a full measurement),
 * {@code --batch-delay-ms D} (default 200, the shipped default), {@code --dir PATH} (default a
 * new temporary directory, deleted afterwards).
 */
public final class PersisterBenchmark {
  private PersisterBenchmark() {}

  record Member(String id, String name, String virtualIp, long latencyMs, Instant lastSeen) {}

  record PartyState(String partyId, long revision, List<Member> members) {}

  public static void main(String[] args)
      throws IOException, InterruptedException, ExecutionException, TimeoutException {
    Map<String, String> options = options(args);
    int updates = Integer.parseInt(options.getOrDefault("--updates", "100000"));
    int baselineUpdates = Math.min(updates, Integer.parseInt(options.getOrDefault("--baseline-updates", "2000")));
    Duration batchDelay = Duration.ofMillis(Long.parseLong(options.getOrDefault("--batch-delay-ms", "200")));
    boolean ownDir = !options.containsKey("--dir");
    Path dir = ownDir ? Files.createTempDirectory("partynet-bench") : Files.createDirectories(Path.of(options.get("--dir")));
    try {
      System.out.printf("PersisterBenchmark: %,d updates, batch delay %d ms, directory %s%n",
          updates, batchDelay.toMillis(), dir);

      long writeBehindNanos;
      long writeBehindDiskWrites;
      try (WriteBehindStatePersister persister = WriteBehindStatePersister.builder(dir.resolve("write-behind.json"))
          .batchDelay(batchDelay).open()) {
        long start = System.nanoTime();
        for (int i = 0; i < updates; i++) {
          persister.write("party", state(i));
        }
        persister.flush().get(60, TimeUnit.SECONDS);
        writeBehindNanos = System.nanoTime() - start;
        writeBehindDiskWrites = persister.diskWrites();
      }

      Path everyUpdateFile = dir.resolve("every-update.json");
      long start = System.nanoTime();
      for (int i = 0; i < baselineUpdates; i++) {
        Map<String, Object> whole = new TreeMap<>();
        whole.put("party", state(i));
        AtomicFiles.write(everyUpdateFile, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(whole));
      }
      long measuredNanos = System.nanoTime() - start;
      double everyUpdateNanos = (double) measuredNanos * updates / baselineUpdates;

      report("write-behind", updates, writeBehindDiskWrites, writeBehindNanos, "");
      report("every update", updates, updates, everyUpdateNanos, baselineUpdates == updates ? ""
          : String.format("  (measured over %,d updates, scaled)", baselineUpdates));
      System.out.printf("ratio: %.0fx fewer disk writes, %.1fx less time%n",
          (double) updates / Math.max(1, writeBehindDiskWrites), everyUpdateNanos / writeBehindNanos);
    } finally {
      if (ownDir) {
        deleteTree(dir);
      }
    }
  }

  private static PartyState state(int i) {
    List<Member> members = new ArrayList<>(8);
    for (int m = 0; m < 8; m++) {
      members.add(new Member("peer-" + m, "player" + m, "10.77.0." + (m + 2), (i + m) % 150,
          Instant.ofEpochSecond(1_700_000_000L + i)));
    }
    return new PartyState("ABCD-EFGH-JKMN", i, members);
  }

  private static void report(String name, int updates, long diskWrites, double nanos, String note) {
    System.out.printf("%-13s %,9d updates  %,9d disk writes  %,10.1f ms  %,12.0f updates/s%s%n",
        name, updates, diskWrites, nanos / 1e6, updates / (nanos / 1e9), note);
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new TreeMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option value pairs, got " + args[i]);
      }
      options.put(args[i], args[i + 1]);
    }
    return options;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
