package io.partynet.examples.swing;

import io.partynet.ConnectionType;
import io.partynet.Party;
import io.partynet.PartyConfig;
import io.partynet.PartyManager;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Toolkit;
import java.awt.datatransfer.DataFlavor;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import javax.swing.SwingUtilities;

/**
 * The launcher window driven as a player would, in a JVM with a display (LauncherWindowTest runs it
 * under Xvfb): the window's member (alice) creates a party with the button; bob and carol, two more
 * embedded members in this JVM, join with the code; the table must show both with a direct path
 * and a measured ping; the copy button must put the code on the clipboard; a screenshot is taken.
 * Then bob leaves, alice leaves with the button, joins bob's new party through the invite-code
 * field and is told when bob ends it, and a mistyped code must show a readable message. Prints {@code launcher-scenario: ok} or
 * exits 1 with what failed.
 *
 * <pre>LauncherScenario WORK_DIR SCREENSHOT.png</pre>
 */
public final class LauncherScenario {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private LauncherScenario() {}

  public static void main(String[] args) {
    try {
      run(Path.of(args[0]), Path.of(args[1]));
      System.out.println("launcher-scenario: ok");
      System.exit(0);
    } catch (Throwable e) {
      System.out.println("launcher-scenario: FAILED " + e);
      e.printStackTrace(System.out);
      System.exit(1);
    }
  }

  private static void run(Path work, Path screenshot) throws Exception {
    LauncherSwing.useNimbus();
    Path discovery = work.resolve("discovery.json");
    try (PartyManager alice = member(work, "alice", discovery);
        PartyManager bob = member(work, "bob", discovery);
        PartyManager carol = member(work, "carol", discovery)) {
      LauncherWindow window = onEdt(() -> {
        LauncherWindow w = new LauncherWindow("alice");
        w.attach(new PartySession(alice, w));
        w.setLocation(0, 0);
        w.setVisible(true);
        return w;
      });

      onEdt(() -> {
        window.partyNameField().setText("Friday night");
        window.createButton().doClick();
        return null;
      });
      String code = await(() -> window.inviteCodeLabel().getText(), c -> c.matches("[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}"),
          "the invite code on screen");
      check(code.equals(alice.currentParty().orElseThrow().id()), "the code shown is the party's: " + code);

      bob.join(code, "bob").get(WAIT.toSeconds(), TimeUnit.SECONDS);
      carol.join(code, "carol").get(WAIT.toSeconds(), TimeUnit.SECONDS);
      List<MemberTableModel.Row> rows = await(() -> rows(window), r -> r.size() == 3
          && r.subList(1, 3).stream().allMatch(m -> m.path() == ConnectionType.DIRECT && m.latencyMs() != null),
          "bob and carol in the table, direct, with a ping");
      check(rows.get(0).label().equals("alice (you)  \u2605"), "first row is the local host: " + rows.get(0));
      check(rows.get(1).name().equals("bob") && rows.get(1).virtualIp().equals("10.77.0.2"), "bob: " + rows.get(1));
      check(rows.get(2).name().equals("carol") && rows.get(2).virtualIp().equals("10.77.0.3"), "carol: " + rows.get(2));
      check(onEdt(() -> window.members().getValueAt(1, MemberTableModel.PATH)).equals("direct"), "path column reads direct");
      String summary = await(() -> window.summary().getText(), s -> s.startsWith("2 friends, 2 connected"), "the summary");
      System.out.println("table: " + rows + " / " + summary);

      takeScreenshot(window, screenshot);

      onEdt(() -> {
        window.copyButton().doClick();
        return null;
      });
      Object clipboard = onEdt(() -> Toolkit.getDefaultToolkit().getSystemClipboard().getData(DataFlavor.stringFlavor));
      check(code.equals(clipboard), "the copy button put the code on the clipboard: " + clipboard);

      bob.leave().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      await(() -> rows(window), r -> r.size() == 2 && r.get(1).name().equals("carol"), "bob gone from the table");
      carol.leave().get(WAIT.toSeconds(), TimeUnit.SECONDS);

      onEdt(() -> {
        window.leaveButton().doClick();
        return null;
      });
      await(() -> window.createButton().isShowing() && window.createButton().isEnabled(), Boolean::booleanValue,
          "the lobby after leaving");
      check(alice.currentParty().isEmpty(), "the leave button left the party");

      Party bobsRoom = bob.create("Bob's room").get(WAIT.toSeconds(), TimeUnit.SECONDS);
      onEdt(() -> {
        window.inviteCodeField().setText(bobsRoom.id().toLowerCase());
        window.playerNameField().setText("alice");
        window.joinButton().doClick();
        return null;
      });
      rows = await(() -> rows(window), r -> r.size() == 2 && r.get(1).self() && r.get(0).host()
          && r.get(0).path() == ConnectionType.DIRECT, "alice in bob's room, bob hosting, direct");
      check(onEdt(() -> window.inviteCodeLabel().getText()).equals(bobsRoom.id()), "the joined party's code");

      bob.leave().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      String ended = await(() -> window.lobbyMessage().getText(), m -> m.startsWith("The host"),
          "the lobby saying that the host ended the party");
      System.out.println("host left: " + ended);
      onEdt(() -> {
        window.inviteCodeField().setText("not a code");
        window.joinButton().doClick();
        return null;
      });
      String message = await(() -> window.lobbyMessage().getText(), m -> m.contains("invite code"),
          "a readable message for a mistyped code");
      System.out.println("mistyped code: " + message);
      onEdt(() -> {
        window.dispose();
        return null;
      });
    }
  }

  private static PartyManager member(Path work, String name, Path discovery) {
    Path home = work.resolve(name);
    PartyConfig config = PartyConfig.builder().home(home).peerName(name).discoveryFile(discovery)
        .networkBackend("embedded").listenPort(0)
        .setting("embedded.bind-address", "127.0.0.1")
        .setting("network.advertise-address", "127.0.0.1")
        .build();
    return PartyManager.builder().home(home).config(config).build();
  }

  private static List<MemberTableModel.Row> rows(LauncherWindow window) {
    List<MemberTableModel.Row> rows = new ArrayList<>();
    for (int i = 0; i < window.members().getRowCount(); i++) {
      rows.add(window.members().row(i));
    }
    return rows;
  }

  private static void takeScreenshot(LauncherWindow window, Path file) throws Exception {
    Robot robot = new Robot();
    robot.waitForIdle();
    Rectangle bounds = onEdt(() -> {
      window.repaint();
      return window.getBounds();
    });
    robot.waitForIdle();
    BufferedImage image = robot.createScreenCapture(bounds);
    Files.createDirectories(file.toAbsolutePath().getParent());
    ImageIO.write(image, "png", file.toFile());
    System.out.println("screenshot: " + file + " " + image.getWidth() + "x" + image.getHeight());
  }

  /** Evaluates {@code read} on the event dispatch thread until {@code done} holds (bounded polling). */
  private static <T> T await(Callable<T> read, Predicate<T> done, String what) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    T last = null;
    while (System.nanoTime() < deadline) {
      last = onEdt(read);
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no " + what + " within " + WAIT + "; last seen: " + last);
  }

  private static <T> T onEdt(Callable<T> action) throws Exception {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Exception> failure = new AtomicReference<>();
    SwingUtilities.invokeAndWait(() -> {
      try {
        result.set(action.call());
      } catch (Exception e) {
        failure.set(e);
      }
    });
    if (failure.get() != null) {
      throw failure.get();
    }
    return result.get();
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new AssertionError(what);
    }
  }
}
