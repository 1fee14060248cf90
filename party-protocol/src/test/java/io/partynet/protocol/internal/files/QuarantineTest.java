package io.partynet.protocol.internal.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuarantineTest {
  @TempDir Path dir;
  private final Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneOffset.UTC);

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
}
