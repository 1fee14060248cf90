package io.partynet.wireguard.jna.internal.uapi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up failures of the daemon launcher, with stand-in daemons written as shell scripts. */
class UserspaceDaemonTest {
  @TempDir
  Path dir;

  private Path script(String body) throws IOException {
    Path script = dir.resolve("fake-daemon");
    Files.writeString(script, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  @Test
  void daemonThatExitsEarlyIsReportedWithItsOutput() throws Exception {
    Path binary = script("echo \"cannot create tun for $2\"; exit 3");
    IOException e = assertThrows(IOException.class, () -> UserspaceDaemon.start(binary.toString(), "pnw0", dir,
        Optional.empty(), Duration.ofSeconds(10), System::nanoTime));
    assertTrue(e.getMessage().contains("exited with 3") && e.getMessage().contains("cannot create tun for pnw0"),
        e.getMessage());
  }

  @Test
  void daemonThatNeverOpensItsSocketIsStoppedAtTheDeadline() throws Exception {
    Path pidFile = dir.resolve("pid");
    Path binary = script("echo $$ > " + pidFile + "; exec sleep 60");
    long start = System.nanoTime();
    IOException e = assertThrows(IOException.class, () -> UserspaceDaemon.start(binary.toString(), "pnw1", dir,
        Optional.empty(), Duration.ofMillis(500), System::nanoTime));
    assertTrue(e.getMessage().contains("did not open"), e.getMessage());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 8, "bounded by the deadline and the stop grace");
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the stand-in daemon was stopped");
  }

  @Test
  void missingBinarySaysWhatToInstall() {
    IOException e = assertThrows(IOException.class, () -> UserspaceDaemon.start("pnw-no-such-daemon", "pnw2", dir,
        Optional.empty(), Duration.ofSeconds(1), System::nanoTime));
    assertTrue(e.getMessage().contains("install wireguard-go"), e.getMessage());
  }
}
