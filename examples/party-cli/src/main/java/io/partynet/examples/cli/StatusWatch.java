package io.partynet.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * {@code party status --watch}: asks the running member for its status every {@link #INTERVAL}.
 * On a terminal the table is redrawn in place (cursor home, each line cleared to its end, the
 * rest of the screen cleared); otherwise, for logs and pipes, a time-stamped table is printed only
 * when something a reader cares about changed: a member, an address, a NAT type, a path, or the
 * latency by a 10 ms step or its ping bar by a step (not the seconds since last seen). Ends when the member stops.
 *
 * <p>Not thread-safe; one per invocation.
 */
final class StatusWatch {
  static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final String CURSOR_HOME = "\u001b[H";
  private static final String CLEAR_SCREEN = "\u001b[2J";
  private static final String CLEAR_LINE_END = "\u001b[K";
  private static final String CLEAR_BELOW = "\u001b[J";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  /** Fetches the running member's status document. */
  interface Source {
    JsonNode fetch() throws CliException;
  }

  private final PrintStream out;
  private final boolean terminal;
  private final Clock clock;
  private String lastSignature;
  private boolean drawn;

  StatusWatch(PrintStream out, boolean terminal, Clock clock) {
    this.out = out;
    this.terminal = terminal;
    this.clock = clock;
  }

  /** Whether stdout is a terminal that understands cursor movement. */
  static boolean stdoutIsTerminal() {
    String term = System.getenv("TERM");
    return System.console() != null && term != null && !term.equals("dumb");
  }

  /** Watches until the member stops (then exit code OK) or cannot be reached at all at first. */
  ExitCode run(Source source) throws CliException, InterruptedException {
    while (true) {
      JsonNode status;
      try {
        status = source.fetch();
      } catch (CliException e) {
        if (!drawn || e.exitCode() != ExitCode.NOT_FOUND) {
          throw e;
        }
        out.println((terminal ? "\n" : "") + "the member left its party or stopped");
        return ExitCode.OK;
      }
      show(status);
      Thread.sleep(INTERVAL.toMillis());
    }
  }

  /** Shows one status document: a redrawn frame on a terminal, a printed block when it changed otherwise. */
  void show(JsonNode status) {
    Instant now = clock.instant();
    if (terminal) {
      out.print(frame(status, now, !drawn));
      out.flush();
      drawn = true;
      return;
    }
    String signature = signature(status);
    if (!signature.equals(lastSignature)) {
      lastSignature = signature;
      out.print("-- " + TIME.format(now) + "\n" + StatusView.table(status, now));
      out.flush();
    }
    drawn = true;
  }

  /** The terminal frame: the table with every line cleared to its end, then the rest of the screen cleared. */
  static String frame(JsonNode status, Instant now, boolean first) {
    StringBuilder frame = new StringBuilder(first ? CLEAR_SCREEN + CURSOR_HOME : CURSOR_HOME);
    for (String line : StatusView.table(status, now).split("\n")) {
      frame.append(line).append(CLEAR_LINE_END).append('\n');
    }
    frame.append("updated ").append(TIME.format(now)).append(" - Ctrl-C to stop").append(CLEAR_LINE_END).append('\n');
    return frame.append(CLEAR_BELOW).toString();
  }

  /** What a plain-line reader would call a change; seconds-since-last-seen and byte counters are not. */
  static String signature(JsonNode status) {
    StringBuilder s = new StringBuilder(status.path("partyId").asText()).append('|');
    for (JsonNode p : status.path("peers")) {
      s.append(p.path("id").asText()).append(',').append(p.path("name").asText()).append(',')
          .append(p.path("virtualIp").asText()).append(',').append(p.path("natType").asText()).append(',')
          .append(p.path("connectionType").asText()).append(',')
          .append(p.path("latencyMs").isNumber() ? Math.round(p.path("latencyMs").asDouble() / 10) : -1).append(',')
          .append(PingBar.barOf(p)).append(';');
    }
    return s.toString();
  }
}
