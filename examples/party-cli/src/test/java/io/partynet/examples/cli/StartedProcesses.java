package io.partynet.examples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The {@code party} processes (and servers) a test started, stopped after each test, the last
 * started first (a server outlives the members that use it), also when the test failed. Register it with {@code @RegisterExtension}.
 * Not thread-safe: a test starts its processes from its own thread.
 */
final class StartedProcesses implements AfterEachCallback {
  /** The last started first. */
  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  /** Starts {@code party ARGS} and stops it after the test. */
  CliProcess start(String... args) throws IOException {
    return stopAfterTest(CliProcess.start(args));
  }

  /** Closes {@code resource} after the test, before whatever was started earlier. */
  <T extends AutoCloseable> T stopAfterTest(T resource) {
    started.push(resource);
    return resource;
  }

  /**
   * Arguments for a member on the local control plane without a network: its home is
   * {@code dir/home} and the party's shared discovery file is in {@code dir}, so nothing of the
   * test leaves its directory.
   */
  static String[] localMember(Path dir, String command, String argument, String home, String... extra) {
    List<String> args = new ArrayList<>(List.of(command, argument, "--home", dir.resolve(home).toString(),
        "--network", "off", "--set", "control.local.discovery-file=" + dir.resolve("discovery.json")));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    Exception first = null;
    while (!started.isEmpty()) {
      AutoCloseable resource = started.pop();
      try {
        resource.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
