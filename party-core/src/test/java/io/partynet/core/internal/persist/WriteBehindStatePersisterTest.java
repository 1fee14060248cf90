package io.partynet.core.internal.persist;

import io.partynet.testing.Eventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.core.internal.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteBehindStatePersisterTest {
  private static final Duration LONG = Duration.ofHours(1);

  @TempDir Path dir;

  record Session(String partyId, int members, List<String> names) {}

  @Test
  void valuesAreReadBackFromMemoryAndAfterReopening() throws Exception {
    Path file = dir.resolve("state.json");
    Session session = new Session("ABCD-EFGH-JKMN", 3, List.of("ann", "bob", "cy"));
    try (WriteBehindStatePersister persister = open(file, LONG)) {
      persister.write("session", session);
      persister.write("myPeerId", "p-1");
      assertEquals(Optional.of(session), persister.read("session", Session.class));
      assertEquals(0, persister.diskWrites(), "nothing reaches disk before the batch delay");
      persister.remove("myPeerId");
      assertEquals(Optional.empty(), persister.read("myPeerId", String.class));
    }
    try (WriteBehindStatePersister reopened = open(file, LONG)) {
      assertEquals(Optional.of(session), reopened.read("session", Session.class));
      assertEquals(Optional.empty(), reopened.read("myPeerId", String.class));
    }
    assertTrue(Json.mapper().readTree(file.toFile()).isObject());
  }

  @Test
  void manyWritesInOneBatchCostOneDiskWrite() throws Exception {
    try (WriteBehindStatePersister persister = open(dir.resolve("state.json"), LONG)) {
      for (int i = 0; i < 10_000; i++) {
        persister.write("counter", i);
      }
      persister.flush().get(10, TimeUnit.SECONDS);
      assertEquals(1, persister.diskWrites());
      persister.flush().get(10, TimeUnit.SECONDS);
      assertEquals(1, persister.diskWrites(), "a flush without changes writes nothing");
      assertEquals(Optional.of(9_999), persister.read("counter", Integer.class));
    }
  }

  @Test
  void rapidWritesCostAtMostOneDiskWritePerBatchDelay() throws Exception {
    Duration batch = Duration.ofMillis(20);
    try (WriteBehindStatePersister persister = open(dir.resolve("state.json"), batch)) {
      long start = System.nanoTime();
      long updates = 0;
      while (System.nanoTime() - start < Duration.ofMillis(600).toNanos()) {
        persister.write("counter", ++updates);
      }
      persister.flush().get(10, TimeUnit.SECONDS);
      long elapsed = System.nanoTime() - start;
      long bound = (elapsed + batch.toNanos() - 1) / batch.toNanos() + 1;
      assertTrue(persister.diskWrites() >= 1);
      assertTrue(persister.diskWrites() <= bound,
          persister.diskWrites() + " disk writes for " + updates + " updates in " + elapsed / 1_000_000
              + " ms exceed ceil(elapsed/batch)+1 = " + bound);
      try (WriteBehindStatePersister reopened = open(dir.resolve("state.json"), batch)) {
        assertEquals(Optional.of(updates), reopened.read("counter", Long.class));
      }
    }
  }

  @Test
  void writesReachDiskAfterTheBatchDelayWithoutAFlush() throws Exception {
    Path file = dir.resolve("state.json");
    try (WriteBehindStatePersister persister = open(file, Duration.ofMillis(10))) {
      persister.write("k", "v");
      Eventually.until(Duration.ofSeconds(10), () -> persister.diskWrites() == 1,
          () -> "the batch flush did not happen");
      assertEquals("v", Json.mapper().readTree(file.toFile()).get("k").asText());
    }
  }

  @Test
  void closeFlushesAndRefusesLaterWrites() throws Exception {
    Path file = dir.resolve("state.json");
    WriteBehindStatePersister persister = open(file, LONG);
    persister.write("k", 42);
    persister.close();
    assertEquals(1, persister.diskWrites());
    assertThrows(IllegalStateException.class, () -> persister.write("k", 43));
    try (WriteBehindStatePersister reopened = open(file, LONG)) {
      assertEquals(Optional.of(42), reopened.read("k", Integer.class));
    }
  }

  @Test
  void aWrittenValueIsASnapshot() throws Exception {
    try (WriteBehindStatePersister persister = open(dir.resolve("state.json"), LONG)) {
      List<String> names = new ArrayList<>(List.of("a"));
      persister.write("names", names);
      names.add("b");
      assertEquals(List.of("a"), persister.read("names", List.class).orElseThrow());
    }
  }

  @Test
  void readingAsTheWrongTypeNamesTheKey() throws Exception {
    try (WriteBehindStatePersister persister = open(dir.resolve("state.json"), LONG)) {
      persister.write("session", "not a session");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> persister.read("session", Session.class));
      assertTrue(e.getMessage().contains("'session'"), e.getMessage());
    }
  }

  @Test
  void corruptFileIsQuarantinedWithItsBytesAndStateStartsEmpty() throws Exception {
    Path file = dir.resolve("state.json");
    byte[] garbage = "{\"session\": {\"partyId\": \"ABCD".getBytes(StandardCharsets.UTF_8);
    Files.write(file, garbage);
    Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneOffset.UTC);
    try (WriteBehindStatePersister persister =
        WriteBehindStatePersister.builder(file).batchDelay(LONG).clock(clock).open()) {
      assertEquals(Optional.empty(), persister.read("session", Object.class));
      Path quarantined = dir.resolve("state.json.corrupt-20260102T030405.678Z");
      assertArrayEquals(garbage, Files.readAllBytes(quarantined));
      assertFalse(Files.exists(file), "the corrupt file was moved, not copied");
      persister.write("fresh", true);
      persister.flush().get(10, TimeUnit.SECONDS);
    }
    // A second corrupt file at the same instant must not overwrite the first quarantined copy.
    Files.write(file, "[1, 2]".getBytes(StandardCharsets.UTF_8));
    try (WriteBehindStatePersister persister =
        WriteBehindStatePersister.builder(file).batchDelay(LONG).clock(clock).open()) {
      assertEquals(Optional.empty(), persister.read("fresh", Boolean.class));
    }
    assertArrayEquals(garbage, Files.readAllBytes(dir.resolve("state.json.corrupt-20260102T030405.678Z")));
    assertEquals("[1, 2]", Files.readString(dir.resolve("state.json.corrupt-20260102T030405.678Z-1")));
  }

  @Test
  void emptyFileIsQuarantinedToo() throws Exception {
    Path file = dir.resolve("state.json");
    Files.write(file, new byte[0]);
    try (WriteBehindStatePersister persister = open(file, LONG)) {
      assertEquals(Optional.empty(), persister.read("k", String.class));
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(1, files.filter(p -> p.getFileName().toString().startsWith("state.json.corrupt-")).count());
    }
  }

  @Test
  void leftoverTemporaryFilesAreRemovedOnOpen() throws Exception {
    Path file = dir.resolve("state.json");
    Path leftover = dir.resolve(".state.json.abc123.tmp");
    Files.writeString(leftover, "{\"half\":");
    Path unrelated = dir.resolve("other.tmp");
    Files.writeString(unrelated, "keep me");
    try (WriteBehindStatePersister persister = open(file, LONG)) {
      assertEquals(Optional.empty(), persister.read("half", Object.class));
      assertFalse(Files.exists(leftover));
      assertTrue(Files.exists(unrelated));
    }
  }

  @Test
  void diskErrorsAreRetriedUntilTheStateIsDurable() throws Exception {
    Path stateDir = dir.resolve("home");
    Path file = stateDir.resolve("state.json");
    Path parked = dir.resolve("home.parked");
    try (WriteBehindStatePersister persister = WriteBehindStatePersister.builder(file)
        .batchDelay(Duration.ofMillis(5))
        .retryBackoff(Duration.ofMillis(5), Duration.ofMillis(40))
        .open()) {
      persister.write("k", 1);
      persister.flush().get(10, TimeUnit.SECONDS);

      // Root ignores read-only permissions, so break the directory itself: a plain file where
      // the directory was makes every temporary-file creation fail.
      Files.move(stateDir, parked);
      Files.writeString(stateDir, "not a directory");
      persister.write("k", 2);
      CompletableFuture<Void> flushed = persister.flush();
      Eventually.until(Duration.ofSeconds(10), () -> persister.failedDiskWrites() >= 3,
          () -> "expected repeated failed attempts, saw " + persister.failedDiskWrites());
      assertFalse(flushed.isDone(), "flush must not complete while the disk refuses the write");
      assertEquals(Optional.of(2), persister.read("k", Integer.class), "pending state is kept");

      Files.delete(stateDir);
      Files.move(parked, stateDir);
      flushed.get(10, TimeUnit.SECONDS);
    }
    try (WriteBehindStatePersister reopened = open(file, LONG)) {
      assertEquals(Optional.of(2), reopened.read("k", Integer.class));
    }
  }

  private static WriteBehindStatePersister open(Path file, Duration batchDelay) throws IOException {
    return WriteBehindStatePersister.builder(file).batchDelay(batchDelay).open();
  }
}
