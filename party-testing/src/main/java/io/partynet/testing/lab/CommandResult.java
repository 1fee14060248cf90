package io.partynet.testing.lab;

import java.util.List;

/**
 * The outcome of a finished command. Immutable and thread-safe.
 *
 * @param command what ran
 * @param exitCode its exit status
 * @param output stdout and stderr, interleaved
 */
public record CommandResult(List<String> command, int exitCode, String output) {
  public CommandResult {
    command = List.copyOf(command);
  }

  public boolean ok() {
    return exitCode == 0;
  }

  /** Throws with the command and its output when it failed; returns this otherwise. */
  public CommandResult orThrow() {
    if (exitCode != 0) {
      throw new LabException("`" + String.join(" ", command) + "` exited " + exitCode + ": " + output.strip());
    }
    return this;
  }
}
