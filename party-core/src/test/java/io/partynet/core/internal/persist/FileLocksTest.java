package io.partynet.core.internal.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLocksTest {
  @TempDir Path dir;

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
