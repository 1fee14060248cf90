package io.partynet.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code ps} check catches a secret on a real process's command line, and only a secret. */
class VisibleArgumentsTest {

  private static void withProcess(List<String> arguments, java.util.function.Consumer<Long> check) throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self")), "reads /proc (Linux)");
    List<String> command = new ArrayList<>(List.of("sh", "-c", "sleep 30", "holder"));
    command.addAll(arguments);
    Process process = new ProcessBuilder(command).start();
    try {
      check.accept(process.pid());
    } finally {
      process.destroyForcibly().waitFor();
    }
  }

  @Test
  void aSecretSettingOrOptionOnTheCommandLineFails() throws Exception {
    for (List<String> shown : List.of(List.of("--set", "nat.turn-password=hunter2"), List.of("--set=acme.token=t1"),
        List.of("--turn-secret", "s3"), List.of("--password=p"))) {
      withProcess(shown, pid -> {
        AssertionError e = assertThrows(AssertionError.class, () -> VisibleArguments.assertNoSecret(pid, "holder"),
            shown.toString());
        assertFalse(e.getMessage().contains("hunter2") || e.getMessage().contains("s3\""), e.getMessage());
      });
    }
  }

  @Test
  void filesEnvironmentAndOrdinarySettingsPass() throws Exception {
    withProcess(List.of("--set-file", "nat.turn-password=/run/secret", "--turn-secret-file", "/etc/s",
        "--set", "nat.turn-username=alice", "--tls-password-file=/p", "--turn-credential-lifetime", "60"), pid -> {
          assertTrue(VisibleArguments.of(pid).contains("nat.turn-username=alice"));
          assertDoesNotThrow(() -> VisibleArguments.assertNoSecret(pid, "holder"));
        });
  }
}
