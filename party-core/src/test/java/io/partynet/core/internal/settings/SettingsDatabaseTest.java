package io.partynet.core.internal.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.spi.SettingKey;
import io.partynet.spi.SettingType;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsDatabaseTest {
  static final SettingKey<String> NAME = SettingKey.ofString("test.name", "anon");
  static final SettingKey<Integer> SIZE = SettingKey.ofInt("test.size", 4, 1, 10);
  static final SettingKey<Long> BIG = SettingKey.ofLong("test.big", 1L << 40);
  static final SettingKey<Boolean> FLAG = SettingKey.ofBoolean("test.flag", false);
  static final SettingKey<Double> RATIO = SettingKey.ofDouble("test.ratio", 0.5);
  static final SettingKey<Duration> DELAY = SettingKey.ofDuration("test.delay", Duration.ofMillis(250));
  static final SettingKey<List<String>> HOSTS = SettingKey.ofStringList("test.hosts", List.of());

  @TempDir Path dir;

  @Test
  void typedValuesAreStoredAndReadBackAfterReopening() throws Exception {
    Path file = dir.resolve("settings.db");
    Clock clock = Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC);
    try (SettingsDatabase db = SettingsDatabase.open(file, Duration.ofSeconds(5), clock)) {
      assertEquals("anon", db.get(NAME), "an unset key reads as its default");
      assertEquals(Optional.empty(), db.find(NAME));
      db.set(NAME, "ann");
      db.set(SIZE, 7);
      db.set(BIG, 1L << 50);
      db.set(FLAG, true);
      db.set(RATIO, 0.125);
      db.set(DELAY, Duration.ofSeconds(3));
      db.set(HOSTS, List.of("10.0.0.1:3478", "10.0.0.2:3478"));
      db.set(SIZE, 8);
    }
    try (SettingsDatabase db = SettingsDatabase.open(file)) {
      assertEquals("ann", db.get(NAME));
      assertEquals(8, db.get(SIZE));
      assertEquals(1L << 50, db.get(BIG));
      assertEquals(true, db.get(FLAG));
      assertEquals(0.125, db.get(RATIO));
      assertEquals(Duration.ofSeconds(3), db.get(DELAY));
      assertEquals(List.of("10.0.0.1:3478", "10.0.0.2:3478"), db.get(HOSTS));
      Map<String, Setting> all = db.getAll();
      assertEquals(List.of("test.big", "test.delay", "test.flag", "test.hosts", "test.name", "test.ratio", "test.size"),
          new ArrayList<>(all.keySet()));
      assertEquals(new Setting("test.delay", SettingType.DURATION, "3s", Instant.parse("2026-03-04T05:06:07Z")),
          all.get("test.delay"));
      assertTrue(db.remove("test.name"));
      assertFalse(db.remove("test.name"));
      assertEquals("anon", db.get(NAME));
    }
  }

  @Test
  void defaultsAreInsertedOnceAndNeverOverwriteValues() throws Exception {
    try (SettingsDatabase db = SettingsDatabase.open(dir.resolve("settings.db"))) {
      db.set(SIZE, 9);
      assertEquals(6, db.insertDefaults(List.of(NAME, SIZE, BIG, FLAG, RATIO, DELAY, HOSTS)));
      assertEquals(0, db.insertDefaults(List.of(NAME, SIZE, BIG, FLAG, RATIO, DELAY, HOSTS)));
      assertEquals(9, db.get(SIZE));
      assertEquals(Optional.of("250ms"), db.findRaw("test.delay").map(Setting::value));
      assertEquals(Optional.of(""), db.findRaw("test.hosts").map(Setting::value));
    }
  }

  @Test
  void invalidValuesAreRejectedWithTheKeyAndType() throws Exception {
    try (SettingsDatabase db = SettingsDatabase.open(dir.resolve("settings.db"))) {
      IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class, () -> db.set(SIZE, 11));
      assertTrue(tooBig.getMessage().contains("'test.size'") && tooBig.getMessage().contains("1..10"),
          tooBig.getMessage());
      assertThrows(IllegalArgumentException.class, () -> db.setRaw("test.size", SettingType.INT, "many"));
      db.setRaw("test.size", SettingType.STRING, "many");
      IllegalArgumentException stored = assertThrows(IllegalArgumentException.class, () -> db.get(SIZE));
      assertTrue(stored.getMessage().contains("'test.size'") && stored.getMessage().contains("integer"),
          stored.getMessage());
    }
  }

  @Test
  void manyThreadsWriteAndReadAtOnce() throws Exception {
    int threads = 6;
    int writes = 60;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (SettingsDatabase db = SettingsDatabase.open(dir.resolve("settings.db"))) {
      List<Future<?>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          for (int i = 0; i < writes; i++) {
            db.setRaw("thread" + thread + ".n" + i, SettingType.INT, Integer.toString(i));
            db.set(SIZE, 1 + i % 10);
            db.get(SIZE);
            db.getAll();
          }
          return null;
        }));
      }
      for (Future<?> result : results) {
        result.get(60, TimeUnit.SECONDS);
      }
      assertEquals(threads * writes + 1, db.getAll().size());
    } finally {
      pool.shutdownNow();
    }
  }
}
