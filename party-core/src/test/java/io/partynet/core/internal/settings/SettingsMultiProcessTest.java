package io.partynet.core.internal.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.PartyConfig;
import io.partynet.spi.SettingType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two child JVMs and this one create, fill and read one settings database at the same time. */
class SettingsMultiProcessTest {
  private static final int ROWS = 80;

  @TempDir Path dir;

  @Test
  void processesShareTheDatabaseWithoutBusyErrors() throws Exception {
    Path home = dir.resolve("home");
    List<Process> children = new ArrayList<>();
    List<Path> logs = new ArrayList<>();
    try {
      for (String prefix : List.of("child1", "child2")) {
        Path log = dir.resolve(prefix + ".log");
        logs.add(log);
        children.add(start(home, prefix, log));
      }
      writeRows(home, "parent", ROWS);
      for (int i = 0; i < children.size(); i++) {
        Process child = children.get(i);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not finish within 60 s");
        Path log = logs.get(i);
        assertEquals(0, child.exitValue(), () -> "child failed: " + read(log));
      }
    } finally {
      children.forEach(Process::destroyForcibly);
    }
    try (SettingsDatabase db = SettingsDatabase.open(home.resolve("settings.db"))) {
      Map<String, Setting> all = db.getAll();
      for (String prefix : List.of("parent", "child1", "child2")) {
        for (int i = 0; i < ROWS; i++) {
          assertEquals(Integer.toString(i), all.get(prefix + "." + i).value(), prefix + "." + i);
        }
      }
      assertEquals(3 * ROWS + Config.KEYS.size(), all.size());
    }
  }

  /** The work each process does; also run by {@link SettingsWriterChild}. */
  static void writeRows(Path home, String prefix, int rows) throws IOException {
    PartyConfig config = Config.load(home);
    try (SettingsDatabase db = SettingsDatabase.open(config.settingsDatabase())) {
      for (int i = 0; i < rows; i++) {
        db.setRaw(prefix + "." + i, SettingType.INT, Integer.toString(i));
        db.insertDefaults(Config.KEYS);
        db.get(Config.PARTY_MAX_SIZE);
      }
    }
  }

  private static Process start(Path home, String prefix, Path log) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(),
        "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"),
        SettingsWriterChild.class.getName(), home.toString(), prefix, Integer.toString(ROWS)));
    builder.redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    return builder.start();
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
