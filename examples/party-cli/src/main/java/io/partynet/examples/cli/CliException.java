package io.partynet.examples.cli;

/** A failure the CLI reports as one line and an exit code. Not thread-safe (plain exception). */
final class CliException extends Exception {
  private static final long serialVersionUID = 1L;
  private final ExitCode exitCode;

  CliException(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  ExitCode exitCode() {
    return exitCode;
  }

  static CliException usage(String message) {
    return new CliException(ExitCode.USAGE, message);
  }
}
