package io.partynet.examples.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs a short {@code party} command ({@code status --json}, {@code leave}) inside the calling JVM,
 * through the same code as the command line, so lab tests in other packages can talk to a member
 * over its control socket without starting a JVM per request. Thread-safe: every call has its own
 * output buffers.
 */
public final class PartyCommand {
  private PartyCommand() {}

  /**
   * The outcome of one command.
   *
   * @param exitCode the documented exit code
   * @param stdout what it printed
   * @param stderr its error line, if any
   */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** Runs {@code party args}; never calls {@code System.exit}. */
  public static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = new PartyCli(o, e).run(args).code;
    }
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
