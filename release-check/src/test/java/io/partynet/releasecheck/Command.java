package io.partynet.releasecheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A child process run to completion with a time limit, its output (stdout and stderr) kept in a file. */
record Command(int exitCode, String output) {

  static Command run(List<String> command, Path workDir, Map<String, String> env, Duration limit, Path log)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(String.join(" ", command) + " did not finish within " + limit + "; output:\n"
          + Files.readString(log));
    }
    return new Command(process.exitValue(), Files.readString(log));
  }

  Command expectSuccess(String what) {
    if (exitCode != 0) {
      throw new AssertionError(what + " exited with " + exitCode + "; output:\n" + output);
    }
    return this;
  }
}
