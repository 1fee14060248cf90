package io.partynet.control.local.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two separate JVMs create and join one party through the discovery file and see each other. */
class TwoProcessTest {
  @TempDir Path dir;

  @Test
  void twoProcessesFormOneParty() throws Exception {
    Path file = dir.resolve("discovery.json");
    Process host = member("create", file.toString(), "host");
    Process guest = null;
    try {
      BufferedReader hostOut = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
      String codeLine = hostOut.readLine();
      assertTrue(codeLine != null && codeLine.startsWith("CODE "), "host printed " + codeLine);
      String code = codeLine.substring(5);

      guest = member("join", file.toString(), "guest", code);
      BufferedReader guestOut = new BufferedReader(new InputStreamReader(guest.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("MEMBERS host,guest", guestOut.readLine(), "the guest sees the host");
      assertEquals("JOINED guest", hostOut.readLine(), "the host sees the guest");
      assertTrue(host.waitFor(20, TimeUnit.SECONDS) && host.exitValue() == 0, "host exits cleanly");
      assertTrue(guest.waitFor(20, TimeUnit.SECONDS) && guest.exitValue() == 0, "guest exits cleanly");
    } finally {
      host.destroyForcibly();
      if (guest != null) {
        guest.destroyForcibly();
      }
    }
  }

  private static Process member(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), LocalMemberMain.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }
}
