package io.partynet.examples.cli;

import io.partynet.testing.JvmProcess;
import io.partynet.testing.VisibleArguments;
import java.io.IOException;
import java.time.Duration;

/** {@code party} run as a real process (a JVM on the test class path). Thread-safe. */
final class CliProcess extends JvmProcess {

  private CliProcess(Process process) {
    super(process);
  }

  static CliProcess start(String... args) throws IOException {
    Process process = launch(PartyCli.class, args);
    VisibleArguments.assertNoSecret(process.pid(), PartyCli.class.getName());
    return new CliProcess(process);
  }

  /** Runs {@code party args} to completion (at most {@code timeout}). */
  static CliProcess run(Duration timeout, String... args) throws IOException, InterruptedException {
    CliProcess p = start(args);
    p.awaitExit(timeout);
    return p;
  }
}
