package io.partynet.server.bench;

import io.partynet.server.internal.ServerProcess;
import io.partynet.server.testing.PostgresCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The servers under load: real {@code ServerMain} JVMs (one for {@code sqlite} and
 * {@code postgresql}, two {@code --shared} ones on one database for {@code postgresql-shared2}),
 * with the rate limits lifted, plus what the benchmark reads from outside them: used heap after a
 * full GC ({@code jcmd}) and CPU time ({@code /proc/PID/stat}).
 */
final class BenchServers implements AutoCloseable {
  /** {@code /proc} counts CPU time in clock ticks; Linux's USER_HZ is 100. */
  private static final double MS_PER_TICK = 10.0;
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  private final List<ServerProcess> processes = new ArrayList<>();
  private PostgresCluster cluster;
  private String database;

  static BenchServers start(String store, Path dir, Path jfrDir) throws Exception {
    BenchServers servers = new BenchServers();
    try {
      servers.launch(store, dir, jfrDir);
    } catch (Exception | Error e) {
      servers.close();
      throw e;
    }
    return servers;
  }

  private void launch(String store, Path dir, Path jfrDir) throws Exception {
    List<String> storeArgs = new ArrayList<>();
    int instances = 1;
    switch (store) {
      case "sqlite" -> { }
      case "postgresql", "postgresql-shared2" -> {
        cluster = PostgresCluster.shared();
        database = cluster.createDatabase();
        storeArgs.addAll(List.of("--store", cluster.storeUrl(database)));
        if (store.equals("postgresql-shared2")) {
          storeArgs.add("--shared");
          instances = 2;
        }
      }
      default -> throw new IllegalArgumentException(
          "partynet.bench.stores takes sqlite, postgresql and postgresql-shared2: " + store);
    }
    for (int i = 0; i < instances; i++) {
      List<String> args = new ArrayList<>(storeArgs);
      // Every simulated peer speaks from 127.0.0.1: the per-address limits would refuse them.
      args.addAll(List.of("--peer-rate-limit", "1000000", "--address-rate-limit", "1000000",
          "--registration-rate-limit", "1000000", "--max-requests", "200", "--max-requests-per-address", "200",
          "--max-registrations", "1000000",
          // Set-up at 10,000 peers can outlast the default 90 s before the first heartbeat is due.
          "--stale-timeout", "3600"));
      List<String> jvm = new ArrayList<>(List.of("-Xmx1g", "-XX:+UseG1GC"));
      if (jfrDir != null) {
        jvm.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
            + jfrDir.resolve("server-" + store + "-" + i + "-" + System.nanoTime() + ".jfr"));
      }
      ServerProcess process = new ServerProcess(Files.createDirectories(dir.resolve("server" + i)),
          args.toArray(String[]::new)).jvmOptions(jvm.toArray(String[]::new));
      processes.add(process);
      process.start();
    }
  }

  List<String> bases() {
    return processes.stream().map(p -> "http://127.0.0.1:" + p.port()).toList();
  }

  /** Used heap after a full collection, summed over the instances. */
  long heapUsedBytes() throws IOException, InterruptedException {
    long total = 0;
    for (ServerProcess p : processes) {
      jcmd(p.pid(), "GC.run");
      Matcher m = HEAP_USED.matcher(jcmd(p.pid(), "GC.heap_info"));
      if (!m.find()) {
        throw new IllegalStateException("jcmd GC.heap_info printed no used heap");
      }
      total += Long.parseLong(m.group(1)) * 1024;
    }
    return total;
  }

  /** User plus system CPU time of the server JVMs so far, in milliseconds (10 ms resolution). */
  double cpuMs() throws IOException {
    long ticks = 0;
    for (ServerProcess p : processes) {
      String stat = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "stat"), StandardCharsets.US_ASCII);
      // Fields after the parenthesised command name start at field 3; utime and stime are fields 14 and 15.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
    return ticks * MS_PER_TICK;
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        String.valueOf(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + out);
    }
    return out;
  }

  @Override
  public void close() {
    for (ServerProcess p : processes) {
      try {
        p.terminate(); // SIGTERM, so a flight recording is written
      } catch (Throwable e) {
        System.err.println("server did not stop cleanly: " + e.getMessage());
      }
    }
    if (cluster != null && database != null) {
      cluster.dropDatabase(database);
    }
  }
}
