package io.partynet.testing;

import io.partynet.PartyConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code ps} shows every local user about a process: its argument list, read from
 * {@code /proc/PID/cmdline} as {@code ps} reads it. Tests that start the CLI or the server as a
 * child call {@link #assertNoSecret(long)} so that a secret on a command line fails the test that
 * put it there. Linux only: elsewhere there is nothing to read and nothing is checked. Stateless
 * and thread-safe.
 */
public final class VisibleArguments {
  private static final List<String> SECRET_WORDS = List.of("password", "secret", "token", "credential");

  private VisibleArguments() {}

  /**
   * The argument list {@code ps} shows for the process, empty when it already ended or this is
   * not Linux.
   *
   * @param pid the process id
   * @return the arguments, the program first
   */
  public static List<String> of(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      List<String> arguments = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < raw.length; i++) {
        if (raw[i] == 0) {
          arguments.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
      return arguments;
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new AssertionError("cannot read the argument list of process " + pid + ": " + e.getMessage(), e);
    }
  }

  /**
   * Waits (bounded) until the process runs {@code program} (a launcher such as {@code ip netns exec}
   * or the JDK's spawn helper runs first under the same pid), then fails when its visible arguments
   * carry a secret: a {@code KEY=VALUE} whose key names a secret ({@link PartyConfig#isSecretSetting}),
   * or an option such as {@code --turn-secret} or {@code --password} with a value. Options naming a
   * file ({@code ...-file}, {@code --set-file KEY=FILE}) or a secret's lifetime ({@code ...-lifetime})
   * are fine.
   *
   * @param pid the process id
   * @param program an argument the process shows once it runs, e.g. its main class
   * @throws AssertionError naming the offending argument's key or option, never its value
   */
  public static void assertNoSecret(long pid, String program) {
    Eventually.until(java.time.Duration.ofSeconds(10), () -> {
      List<String> now = of(pid);
      return now.isEmpty() || now.contains(program);
    }, () -> "process " + pid + " to run " + program + "; it shows " + of(pid));
    List<String> arguments = of(pid);
    for (int i = 0; i < arguments.size(); i++) {
      String argument = arguments.get(i);
      boolean namesAFile = argument.startsWith("--set-file") || (i > 0 && arguments.get(i - 1).equals("--set-file"));
      String setting = argument.startsWith("--set=") ? argument.substring("--set=".length()) : argument;
      int eq = setting.indexOf('=');
      String key = eq > 0 ? setting.substring(0, eq) : setting;
      boolean secretSetting = eq > 0 && eq < setting.length() - 1 && PartyConfig.isSecretSetting(stripDashes(key));
      boolean secretOption = setting.startsWith("--") && namesSecret(key) && (eq > 0 || i + 1 < arguments.size());
      if ((secretSetting || secretOption) && !namesAFile && !key.endsWith("-file")
          && !key.endsWith("-lifetime")) {
        throw new AssertionError("process " + pid + " shows a secret to every local user (ps): argument '" + key
            + "=...'; pass it through a file or the environment instead");
      }
    }
  }

  private static String stripDashes(String key) {
    return key.startsWith("--") ? key.substring(2) : key;
  }

  private static boolean namesSecret(String option) {
    String lower = option.toLowerCase(Locale.ROOT);
    return SECRET_WORDS.stream().anyMatch(lower::contains);
  }
}
