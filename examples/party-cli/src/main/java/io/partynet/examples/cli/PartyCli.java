package io.partynet.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The {@code party} command. Exit codes: 0 ok, 1 other failure, 2 usage, 3 not found (no such
 * party, malformed invite code, no member running in the home), 4 unavailable (network backend or
 * control plane). Errors are one line on stderr, never a stack trace.
 *
 * <p>Not thread-safe; one instance per invocation.
 */
public final class PartyCli {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final String LOG_FILE_PROPERTY = "org.slf4j.simpleLogger.logFile";
  static final String LOG_FILE = "party.log";
  private static final Map<String, String> HELP = Map.of(
      "help", """
          usage: party COMMAND [OPTIONS]

          Commands:
            create NAME          create a party and run its host in the foreground
            join CODE --name N   join the party with invite code CODE and run in the foreground
            status [--json|--watch]  show the running member's party (from another terminal)
            say TEXT             send TEXT to every other member through the tunnels (UDP port 47474)
            leave                make the running member leave its party

          Every command takes --home DIR (default ~/.partynet) and --help. A running member logs to
          HOME/party.log (level: PARTYNET_LOG=debug|info|warn, default info).
          Exit codes: 0 ok, 1 failure, 2 usage, 3 not found or invalid invite code, 4 unavailable.
          """,
      "create", """
          usage: party create NAME [--name YOUR_NAME] [--home DIR] [--network off|auto|BACKEND] [--server URL] [--set KEY=VALUE]...

          Creates party NAME, prints its invite code, and runs its host until 'party leave' (the host
          leaving ends the party for everyone) or a stop: Ctrl-C or SIGTERM stop the member and keep
          the party, resumed by the next create or join with this home. Changes are printed as they happen.
            --name N       your display name (setting peer.name)
            --network X    off (membership only), auto, or a backend name (setting network.backend)
            --server URL   use the control plane server at URL (remote mode) instead of the local file
            --set K=V      any other setting for this run, e.g. --set control.local.discovery-file=/tmp/d.json
            --home DIR     where settings, keys and state live (default ~/.partynet)
          """,
      "join", """
          usage: party join CODE --name YOUR_NAME [--home DIR] [--network off|auto|BACKEND] [--server URL] [--set KEY=VALUE]...

          Joins the party with invite code CODE (e.g. 7KQ2-M9XD-4RTA; case, spaces and dashes do not
          matter) and runs until 'party leave', the party ends, or a stop (Ctrl-C, SIGTERM: the party
          is kept and resumed by the next start with this home).
          Options as for 'party create'.
          """,
      "status", """
          usage: party status [--json | --watch] [--home DIR]

          Shows the party of the member running with this home: peer, virtual IP, NAT type,
          connection type, latency and last seen. --json prints the machine-readable document.
          --watch keeps watching (every second) until the member stops or Ctrl-C: on a terminal the
          table is redrawn in place; otherwise a time-stamped table is printed whenever it changes.
          """,
      "say", """
          usage: party say TEXT [--home DIR]

          Makes the member running with this home send TEXT (one line) as a UDP datagram to every
          other member's virtual IP, port 47474, through the WireGuard tunnels; running members print
          what they receive.
          """,
      "leave", """
          usage: party leave [--home DIR]

          Makes the member running with this home leave its party (the host leaving ends it) and exit.
          """);

  private final PrintStream out;
  private final PrintStream err;

  PartyCli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    int code = new PartyCli(System.out, System.err).run(args).code;
    System.exit(code);
  }

  ExitCode run(String[] args) {
    try {
      CommandLine commandLine = CommandLine.parse(args);
      if (commandLine.help()) {
        String topic = commandLine.command().equals("help") && !commandLine.arguments().isEmpty()
            ? commandLine.arguments().get(0) : commandLine.command();
        out.print(HELP.getOrDefault(topic, HELP.get("help")));
        return ExitCode.OK;
      }
      return switch (commandLine.command()) {
        case "create", "join" -> {
          logToFileIn(commandLine.home());
          yield new Member(commandLine, out).run();
        }
        case "status" -> status(commandLine);
        case "leave" -> leave(commandLine);
        case "say" -> say(commandLine);
        default -> throw CliException.usage("unknown command; try: party --help");
      };
    } catch (CliException e) {
      err.println("party: " + TerminalText.safe(e.getMessage()));
      return e.exitCode();
    } catch (RuntimeException e) {
      err.println("party: " + TerminalText.safe(e.getMessage() != null ? e.getMessage() : e.toString()));
      return e instanceof io.partynet.PartyException party ? ExitCode.of(party) : ExitCode.FAILURE;
    }
  }

  /**
   * A member's SDK log goes to {@code party.log} in its home, so the console shows only what the
   * member prints and errors stay one line. Must run before anything logs (SLF4J reads it once).
   */
  private static void logToFileIn(Path home) throws CliException {
    if (System.getProperty(LOG_FILE_PROPERTY) != null) {
      return;
    }
    try {
      Files.createDirectories(home);
    } catch (IOException e) {
      throw new CliException(ExitCode.FAILURE, "cannot create home " + home + ": " + e.getMessage());
    }
    System.setProperty(LOG_FILE_PROPERTY, home.resolve(LOG_FILE).toString());
  }

  private ExitCode status(CommandLine commandLine) throws CliException {
    if (commandLine.watch()) {
      try {
        return new StatusWatch(out, StatusWatch.stdoutIsTerminal(), Clock.systemDefaultZone())
            .run(() -> fetchStatus(commandLine));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ExitCode.FAILURE;
      }
    }
    JsonNode status = fetchStatus(commandLine);
    out.print(commandLine.json() ? status.toPrettyString() + "\n" : StatusView.table(status, Instant.now()));
    return ExitCode.OK;
  }

  private static JsonNode fetchStatus(CommandLine commandLine) throws CliException {
    JsonNode answer = ControlSocket.request(commandLine.home(), "status", REQUEST_TIMEOUT);
    failIfError(answer);
    return answer.path("status");
  }

  private ExitCode leave(CommandLine commandLine) throws CliException {
    failIfError(ControlSocket.request(commandLine.home(), "leave", REQUEST_TIMEOUT));
    out.println("left the party");
    return ExitCode.OK;
  }

  private ExitCode say(CommandLine commandLine) throws CliException {
    String text = commandLine.arguments().get(0);
    if (text.isBlank() || text.indexOf('\n') >= 0 || text.length() > Chat.MAX_TEXT) {
      throw CliException.usage("say takes one line of at most " + Chat.MAX_TEXT + " characters");
    }
    JsonNode answer = ControlSocket.request(commandLine.home(), "say " + text, REQUEST_TIMEOUT);
    failIfError(answer);
    out.println("sent to " + answer.path("sent").asInt() + " member(s)");
    return ExitCode.OK;
  }

  private static void failIfError(JsonNode answer) throws CliException {
    if (!answer.path("ok").asBoolean()) {
      String reason = answer.path("reason").asText("INTERNAL");
      ExitCode code = reason.equals("NOT_IN_PARTY") ? ExitCode.NOT_FOUND : ExitCode.FAILURE;
      throw new CliException(code, answer.path("error").asText("the running member reported an error"));
    }
  }
}
