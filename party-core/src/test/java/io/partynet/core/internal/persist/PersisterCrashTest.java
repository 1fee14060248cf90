package io.partynet.core.internal.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.partynet.core.internal.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child JVM with SIGKILL at random moments and checks after every kill that the
 * state file parses and holds a state the child really wrote, no older than its last completed
 * flush.
 */
class PersisterCrashTest {
  private static final int KILLS = 100;
  private static final int MAX_KILL_DELAY_MS = 60;

  @TempDir Path dir;

  @Test
  void sigkillNeverLeavesATornOrInventedState() throws Exception {
    Path file = dir.resolve("state.json");
    long seed = System.nanoTime();
    Random random = new Random(seed);
    long previousCounter = 0;
    int progressed = 0;
    for (int run = 1; run <= KILLS; run++) {
      String context = "run " + run + " (seed " + seed + ")";
      ChildRun child = ChildRun.start(file, dir.resolve("child-" + (run % 2) + ".log"));
      try {
        child.awaitFirstDurableWrite(context);
        Thread.sleep(random.nextInt(MAX_KILL_DELAY_MS + 1));
      } finally {
        child.kill();
      }
      CrashingWriter.Record found = readRecord(file, context);
      assertTrue(child.written.contains(found.counter()),
          context + ": file holds counter " + found.counter() + " that the child never wrote; it loaded "
              + child.loaded + ", wrote " + child.written.size() + ", durable " + child.lastDurable);
      assertEquals(CrashingWriter.Record.of(found.counter()), found, context + ": torn record");
      assertTrue(found.counter() >= child.lastDurable.get(), context + ": counter " + found.counter()
          + " is older than the completed flush of " + child.lastDurable.get());
      assertTrue(found.counter() >= previousCounter, context + ": state went backwards");
      if (found.counter() > previousCounter) {
        progressed++;
      }
      previousCounter = found.counter();
    }
    System.out.printf("%d kills; final counter %d; %d runs made progress%n", KILLS, previousCounter, progressed);
    assertEquals(KILLS, progressed, "every child got some state to disk before the kill");
    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".corrupt-")),
          "no state file was ever found corrupt");
    }
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

  /** A child JVM and what it has reported on standard output. */
  private static final class ChildRun {
    final Process process;
    final Set<Long> written = java.util.Collections.synchronizedSet(new HashSet<>());
    final AtomicLong lastDurable = new AtomicLong();
    final AtomicLong loaded = new AtomicLong(-1);
    final Thread reader;

    private ChildRun(Process process) {
      this.process = process;
      this.reader = new Thread(this::readOutput, "crash-child-output");
      reader.setDaemon(true);
      reader.start();
    }

    static ChildRun start(Path file, Path log) throws IOException {
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(),
          "-Xmx64m", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
          "-cp", System.getProperty("java.class.path"),
          CrashingWriter.class.getName(), file.toString()));
      builder.redirectError(log.toFile());
      return new ChildRun(builder.start());
    }

    private void readOutput() {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          if (line.startsWith("wrote ")) {
            written.add(Long.parseLong(line.substring(6)));
          } else if (line.startsWith("loaded ")) {
            loaded.set(Long.parseLong(line.substring(7)));
          } else if (line.startsWith("durable ")) {
            lastDurable.set(Long.parseLong(line.substring(8)));
          }
        }
      } catch (IOException | NumberFormatException e) {
        // The pipe breaks when the child is killed; whatever was read is what counts.
      }
    }

    /** Waits until the child has state on disk, so that the kill can tear a later write. */
    void awaitFirstDurableWrite(String context) {
      Eventually.until(java.time.Duration.ofSeconds(30), () -> lastDurable.get() > 0 || !process.isAlive(),
          () -> context + ": child never completed a flush");
      if (lastDurable.get() == 0) {
        fail(context + ": child exited with " + process.exitValue() + " before writing");
      }
    }

    void kill() throws InterruptedException {
      process.destroyForcibly();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        fail("child " + process.pid() + " did not die after SIGKILL");
      }
      reader.join(TimeUnit.SECONDS.toMillis(10));
    }
  }
}
