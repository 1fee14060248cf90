package io.partynet.examples.swing;

import io.partynet.PartyException;
import io.partynet.PartyManager;
import java.nio.file.Path;
import java.time.Duration;
import javax.swing.JOptionPane;
import javax.swing.SwingUtilities;
import javax.swing.UIManager;
import javax.swing.WindowConstants;

/**
 * Starts the launcher window for the member whose files are in HOME (settings, keys, the party it
 * was in: a restarted launcher is back in its party).
 *
 * <pre>java -jar launcher-swing.jar [--home DIR] [--name PLAYER]</pre>
 *
 * Closing the window leaves the party (at most 5 s) and stops the SDK.
 */
public final class LauncherSwing {
  private static final Duration LEAVE_ON_CLOSE = Duration.ofSeconds(5);

  private LauncherSwing() {}

  public static void main(String[] args) {
    Path home = Path.of(System.getProperty("user.home"), ".partynet");
    String name = System.getProperty("user.name", "player");
    if (args.length % 2 != 0) {
      usage();
    }
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--home" -> home = Path.of(args[i + 1]);
        case "--name" -> name = args[i + 1];
        default -> usage();
      }
    }
    useNimbus();
    PartyManager manager;
    try {
      manager = PartyManager.builder().home(home).build();
    } catch (PartyException e) {
      JOptionPane.showMessageDialog(null, PlayerMessages.forFailure(e), "PartyNet", JOptionPane.ERROR_MESSAGE);
      System.exit(1);
      return;
    }
    String playerName = name;
    SwingUtilities.invokeLater(() -> open(manager, playerName));
  }

  private static void open(PartyManager manager, String playerName) {
    LauncherWindow window = new LauncherWindow(playerName);
    PartySession session = new PartySession(manager, window);
    window.setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
    window.addWindowListener(new java.awt.event.WindowAdapter() {
      @Override
      public void windowClosing(java.awt.event.WindowEvent e) {
        window.showBusy("Leaving\u2026");
        session.stop(true, LEAVE_ON_CLOSE).whenComplete((done, failure) -> {
          manager.close();
          SwingUtilities.invokeLater(() -> {
            window.dispose();
            System.exit(0);
          });
        });
      }
    });
    window.attach(session);
    window.setLocationRelativeTo(null);
    window.setVisible(true);
  }

  /** Nimbus ships with every JDK and looks better than the default; the default stays if it is missing. */
  static void useNimbus() {
    for (UIManager.LookAndFeelInfo laf : UIManager.getInstalledLookAndFeels()) {
      if (laf.getName().equals("Nimbus")) {
        try {
          UIManager.setLookAndFeel(laf.getClassName());
        } catch (ReflectiveOperationException | javax.swing.UnsupportedLookAndFeelException e) {
          // keep the default look and feel
        }
        return;
      }
    }
  }

  private static void usage() {
    System.err.println("usage: launcher-swing [--home DIR] [--name PLAYER]");
    System.exit(2);
  }
}
