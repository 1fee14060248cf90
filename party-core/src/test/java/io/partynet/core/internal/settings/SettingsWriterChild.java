package io.partynet.core.internal.settings;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The child process of {@link SettingsMultiProcessTest}: loads the config of a home (creating
 * the database when it is the first) and then writes {@code <prefix>.<i>} for i below the count,
 * reading in between. Exits 0 when every call succeeded; any exception (a busy database
 * included) ends it with a stack trace and a non-zero status.
 */
public final class SettingsWriterChild {
  private SettingsWriterChild() {}

  public static void main(String[] args) throws IOException {
    Path home = Path.of(args[0]);
    String prefix = args[1];
    int count = Integer.parseInt(args[2]);
    SettingsMultiProcessTest.writeRows(home, prefix, count);
  }
}
