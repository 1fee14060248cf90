package io.partynet.core.internal.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.testing.ManualClock;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuarantineAndFileLocksTest {
  @TempDir Path dir;
  private final ManualClock clock = ManualClock.startingAt("2026-01-02T03:04:05.678Z");

  @Test
  void aCorruptFileIsMovedAsideUnderAFreshStampedName() throws Exception {
    Path file = dir.resolve("x.json");
    Files.writeString(file, "first");
    assertEquals(Optional.of(dir.resolve("x.json.corrupt-20260102T030405.678Z")), Quarantine.moveAside(file, clock));
    Files.writeString(file, "second");
    assertEquals(Optional.of(dir.resolve("x.json.corrupt-20260102T030405.678Z-1")), Quarantine.moveAside(file, clock));
    assertFalse(Files.exists(file));
    assertEquals("first", Files.readString(dir.resolve("x.json.corrupt-20260102T030405.678Z")));
    assertEquals("second", Files.readString(dir.resolve("x.json.corrupt-20260102T030405.678Z-1")));
  }

  @Test
  void aFileAnotherProcessMovedFirstIsNoError() throws Exception {
    assertEquals(Optional.empty(), Quarantine.moveAside(dir.resolve("gone.json"), clock));
  }

  @Test
  void aHeldLockIsWaitedForUntilTheDeadlineOnly() throws Exception {
    Path lockFile = dir.resolve("x.lock");
    try (FileChannel holder = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileChannel waiter = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock held = FileLocks.acquire(holder, System.nanoTime() + Duration.ofSeconds(5).toNanos()).orElseThrow();
      assertEquals(Optional.empty(), FileLocks.acquire(waiter, System.nanoTime() + Duration.ofMillis(20).toNanos()),
          "held by someone else until the deadline");
      held.release();
      Optional<FileLock> mine = FileLocks.acquire(waiter, System.nanoTime() + Duration.ofSeconds(5).toNanos());
      assertTrue(mine.isPresent() && mine.get().isValid());
      mine.get().release();
    }
  }
}
