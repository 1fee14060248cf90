package io.partynet.examples.swing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link LauncherScenario} in a JVM of its own under a virtual X display (Debian's
 * {@code xvfb-run}, installed by .ci/run): the real window, three embedded members, a screenshot
 * in {@code target/launcher-swing.png}. About 20 s.
 */
class LauncherWindowTest {
  private static final Path XVFB_RUN = Path.of("/usr/bin/xvfb-run");
  private static final long LIMIT_SECONDS = 180;

  @TempDir
  Path work;

  @Test
  void playerCreatesJoinsAndSeesEveryFriendsPathAndPing() throws IOException, InterruptedException {
    assumeTrue(Files.isExecutable(XVFB_RUN), "needs xvfb-run (Debian packages xvfb and xauth)");
    Path screenshot = Path.of("target", "launcher-swing.png").toAbsolutePath();
    Files.deleteIfExists(screenshot);
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path log = work.resolve("scenario.log");
    Process scenario = new ProcessBuilder(List.of(XVFB_RUN.toString(), "-a", "-s", "-screen 0 1024x768x24 -nolisten tcp",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp", classPath,
        LauncherScenario.class.getName(), work.resolve("members").toString(), screenshot.toString()))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!scenario.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
      scenario.descendants().forEach(ProcessHandle::destroyForcibly);
      scenario.destroyForcibly();
      throw new AssertionError("the scenario did not finish within " + LIMIT_SECONDS + " s:\n" + Files.readString(log));
    }
    String output = Files.readString(log);
    assertEquals(0, scenario.exitValue(), output);
    assertTrue(output.contains("launcher-scenario: ok"), output);

    BufferedImage image = ImageIO.read(screenshot.toFile());
    assertEquals(640, image.getWidth(), "screenshot of the whole window");
    assertEquals(430, image.getHeight(), "screenshot of the whole window");
  }
}
