package io.partynet.core.internal.persist;

import io.partynet.testing.Eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.partynet.core.internal.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child JVM ({@link CrashingWriter}) with SIGKILL at random moments and checks
 * after every kill that the state file parses and holds a state the child really wrote, no older
 * than its last completed flush.
 */
class PersisterCrashTest {
  private static final int KILLS = 100;
  private static final int MAX_KILL_DELAY_MS = 60;
  private static final int LANES = 2;

  @TempDir Path dir;

  @Test
  void sigkillNeverLeavesATornOrInventedState() throws Exception {
    long seed = System.nanoTime();
    // Two independent lanes, each with its own state file, keep both cores busy.
    ExecutorService lanes = Executors.newFixedThreadPool(LANES);
    try {
      List<Future<?>> results = new ArrayList<>();
      for (int lane = 0; lane < LANES; lane++) {
        Path laneDir = Files.createDirectories(dir.resolve("lane" + lane));
        Random random = new Random(seed + lane);
        String name = "lane " + lane + " (seed " + (seed + lane) + ")";
        results.add(lanes.submit(() -> {
          killRepeatedly(laneDir, KILLS / LANES, random, name);
          return null;
        }));
      }
      for (Future<?> result : results) {
        try {
          result.get(10, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof Error error) {
            throw error;
          }
          throw e;
        }
      }
    } finally {
      lanes.shutdownNow();
    }
  }

  private static void killRepeatedly(Path laneDir, int kills, Random random, String lane) throws Exception {
    Path file = laneDir.resolve("state.json");
    long previousCounter = 0;
    for (int run = 1; run <= kills; run++) {
      String context = lane + " run " + run;
      Path reportFile = laneDir.resolve("report-" + run + ".txt");
      Process child = start(file, reportFile, laneDir.resolve("child-stderr.txt"));
      try {
        // Wait until the child has state on disk, so that the kill can tear a later write.
        Eventually.until(Duration.ofSeconds(30), () -> !child.isAlive() || report(reportFile).lastDurable > 0,
            () -> context + ": child never completed a flush");
        Thread.sleep(random.nextInt(MAX_KILL_DELAY_MS + 1));
      } finally {
        child.destroyForcibly();
        if (!child.waitFor(30, TimeUnit.SECONDS)) {
          fail(context + ": child " + child.pid() + " did not die after SIGKILL");
        }
      }
      Report report = report(reportFile);
      assertTrue(report.lastDurable > 0, context + ": child exited with " + child.exitValue()
          + " before a flush completed; see child-stderr.txt");
      CrashingWriter.Record found = readRecord(file, context);
      assertTrue(report.written.contains(found.counter()), context + ": file holds counter "
          + found.counter() + " that the child never wrote (it loaded " + report.loaded + ")");
      assertEquals(CrashingWriter.Record.of(found.counter()), found, context + ": torn record");
      assertTrue(found.counter() >= report.lastDurable, context + ": counter " + found.counter()
          + " is older than the completed flush of " + report.lastDurable);
      assertTrue(found.counter() > previousCounter, context + ": state did not advance");
      previousCounter = found.counter();
      Files.delete(reportFile);
    }
    try (Stream<Path> files = Files.list(laneDir)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".corrupt-")),
          lane + ": no state file was ever found corrupt");
    }
  }

  private static Process start(Path file, Path reportFile, Path stderr) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(),
        "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
        "-cp", System.getProperty("java.class.path"),
        CrashingWriter.class.getName(), file.toString(), reportFile.toString()));
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
    return builder.start();
  }

  private static CrashingWriter.Record readRecord(Path file, String context) {
    try {
      JsonNode root = Json.mapper().readTree(Files.readAllBytes(file));
      assertTrue(root != null && root.isObject(), context + ": top level is not an object");
      return Json.mapper().treeToValue(root.get("record"), CrashingWriter.Record.class);
    } catch (IOException e) {
      return fail(context + ": state file does not parse after SIGKILL", e);
    }
  }

  /** What a child reported; a last line cut short by the kill is ignored. */
  private record Report(long loaded, Set<Long> written, long lastDurable) {}

  private static Report report(Path reportFile) {
    long loaded = -1;
    long lastDurable = 0;
    Set<Long> written = new HashSet<>();
    String text;
    try {
      text = Files.exists(reportFile) ? Files.readString(reportFile) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int end = text.lastIndexOf('\n');
    for (String line : end < 0 ? new String[0] : text.substring(0, end).split("\n")) {
      long n = Long.parseLong(line.substring(line.indexOf(' ') + 1));
      if (line.startsWith("wrote ")) {
        written.add(n);
      } else if (line.startsWith("durable ")) {
        lastDurable = n;
      } else if (line.startsWith("loaded ")) {
        loaded = n;
      }
    }
    return new Report(loaded, written, lastDurable);
  }
}
