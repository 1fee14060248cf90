package io.partynet.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.partynet.PartyConfig;
import io.partynet.examples.cli.doctor.Doctor;
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
  private static final Map<String, String> HELP = Map.ofEntries(
      Map.entry("help", """
          usage: party COMMAND [OPTIONS]

          Commands:
            create NAME          create a party and run its host in the foreground
            join CODE --name N   join the party with invite code CODE and run in the foreground
            status [--json|--watch]  show the running member's party (from another terminal)
            say TEXT             send TEXT to every other member through the tunnels (UDP port 47474)
            expose tcp|udp PORT [--to HOST:PORT]
                                 let members reach a local server at your virtual IP:PORT (host a game)
            forward tcp|udp LOCAL_PORT VIRTUAL_IP:PORT
                                 make 127.0.0.1:LOCAL_PORT stand for a member's VIRTUAL_IP:PORT (join a game)
            socks LOCAL_PORT     a SOCKS5 proxy on 127.0.0.1:LOCAL_PORT onto every member's TCP ports
            leave                make the running member leave its party
            ping PEER [-c N]     round trips through the tunnel to a member (name or virtual IP)
            doctor [--json]      check this machine and network for PartyNet, with a fix for each problem
            invite [--ttl 1h] [--uses N]  (host) issue an invite code that expires / admits N members
            invite --revoke CODE (host) revoke an invite code, or the party id itself

          Every command takes --home DIR (default ~/.partynet) and --help. A running member logs to
          HOME/party.log (level: PARTYNET_LOG=debug|info|warn, default info).
          Exit codes: 0 ok, 1 failure, 2 usage, 3 not found or invalid invite code, 4 unavailable.
          """),
      Map.entry("create", """
          usage: party create NAME [--name YOUR_NAME] [--home DIR] [--network off|auto|BACKEND] [--server URL] [--set KEY=VALUE]... [--set-file KEY=FILE]...
                              [--expose PROTOCOL:PORT[:HOST:PORT]]... [--forward PROTOCOL:LOCAL_PORT:VIRTUAL_IP:PORT]... [--socks PORT]

          Creates party NAME, prints its invite code, and runs its host until 'party leave' (the host
          leaving ends the party for everyone) or a stop: Ctrl-C or SIGTERM stop the member and keep
          the party, resumed by the next create or join with this home. Changes are printed as they happen.
            --name N       your display name (setting peer.name)
            --network X    off (membership only), auto, or a backend name (setting network.backend)
            --server URL   use the control plane server at URL (remote mode) instead of the local file
            --set K=V      any other setting for this run, e.g. --set control.local.discovery-file=/tmp/d.json
            --expose S     once in the party, expose S like 'party expose' (tcp:25565, udp:7777:127.0.0.1:7778);
                           repeatable; the member exits with code 1 if one cannot be set up
            --forward S    once in the party, forward S like 'party forward' (tcp:25565:10.77.0.1:25565); repeatable
            --socks PORT   once in the party, start a SOCKS5 proxy like 'party socks' on 127.0.0.1:PORT
            --set-file K=F any setting from file F; secrets (nat.turn-password) only this way or from the
                           environment (PARTYNET_NAT_TURN_PASSWORD): a command line is visible to everyone (ps)
            --home DIR     where settings, keys and state live (default ~/.partynet)
          """),
      Map.entry("join", """
          usage: party join CODE --name YOUR_NAME [--home DIR] [--network off|auto|BACKEND] [--server URL] [--set KEY=VALUE]... [--set-file KEY=FILE]...

          Joins the party with invite code CODE (e.g. 7KQ2-M9XD-4RTX; case, spaces and dashes do not
          matter) and runs until 'party leave', the party ends, or a stop (Ctrl-C, SIGTERM: the party
          is kept and resumed by the next start with this home).
          Options as for 'party create'.
          """),
      Map.entry("status", """
          usage: party status [--json | --watch] [--home DIR]

          Shows the party of the member running with this home: peer, virtual IP, NAT type,
          connection type, latency and last seen. --json prints the machine-readable document.
          --watch keeps watching (every second) until the member stops or Ctrl-C: on a terminal the
          table is redrawn in place; otherwise a time-stamped table is printed whenever it changes.
          """),
      Map.entry("say", """
          usage: party say TEXT [--home DIR]

          Makes the member running with this home send TEXT (one line) as a UDP datagram to every
          other member's virtual IP, port 47474, through the WireGuard tunnels; running members print
          what they receive.
          """),
      Map.entry("ping", """
          usage: party ping PEER [-c N] [--json] [--home DIR]

          Makes the member running with this home send N probes (default 4, at most 100), one a
          second, through the WireGuard tunnel to the member named PEER (display name or virtual IP)
          and prints each round trip, the path (DIRECT or RELAY) and a summary. Works on every
          backend: the probes are small UDP datagrams to the member's probe port (party.probe-port),
          answered by its SDK. --json prints one summary document.
          Exit codes: 0 at least one answer, 1 no answer, 3 no such member or no member running.
          """),
      Map.entry("doctor", """
          usage: party doctor [--json] [--home DIR] [--network X] [--server URL] [--set KEY=VALUE]...

          Checks what PartyNet needs on this machine and network, without joining anything: the
          backend 'auto' picks and why, privileges, wireguard-go and the kernel module, the control
          plane server and the STUN servers (reachable, how fast), the NAT type, the WireGuard and
          probe ports, the home directory's file modes, and the clock against the server's.
          Each check prints PASS, WARN or FAIL with what to do. --json prints the report.
          Exit codes: 0 nothing failed (warnings allowed), 1 at least one check failed.
          """),
      Map.entry("expose", """
          usage: party expose tcp|udp PORT [--to HOST:PORT] [--json] [--home DIR]

          Makes the member running with this home carry what other members send to its virtual IP,
          port PORT, to a local server: 127.0.0.1:PORT, or HOST:PORT with --to (an IP address; IPv6
          in brackets). This is how you host a game: start the game's server, expose its port, and
          tell your friends your virtual IP. On the embedded backend (no admin rights) the SDK
          relays every connection; on a kernel backend a server listening on all addresses is
          reached directly and the expose is a passthrough that says so. 'party status' lists it
          with its connection count. It lasts until the member stops.
          """),
      Map.entry("forward", """
          usage: party forward tcp|udp LOCAL_PORT VIRTUAL_IP:PORT [--json] [--home DIR]

          Makes the member running with this home listen on 127.0.0.1:LOCAL_PORT (0: any free port)
          and carry every local connection (TCP) or client (UDP) to a member's VIRTUAL_IP:PORT,
          and the answers back. This is how you join a game that cannot be pointed at a virtual IP:
          point it at 127.0.0.1:LOCAL_PORT. Many local clients may share one forward. It lasts
          until the member stops.
          """),
      Map.entry("socks", """
          usage: party socks LOCAL_PORT [--json] [--home DIR]

          Makes the member running with this home listen on 127.0.0.1:LOCAL_PORT (0: any free port)
          as a SOCKS5 proxy (RFC 1928, CONNECT, no authentication) onto the party network: a program
          whose SOCKS5 setting points there reaches any member's VIRTUAL_IP:PORT over TCP, without a
          forward per port (e.g. curl --socks5 127.0.0.1:1080 http://10.77.0.2:8080/), or a member
          by name (curl --socks5-hostname 127.0.0.1:1080 http://bob:8080/). Only this computer can
          use it. 'party status' lists it with its connection count. It lasts until
          the member stops.
          """),
      Map.entry("invite", """
          usage: party invite [--ttl DURATION] [--uses N] [--home DIR]
                 party invite --revoke CODE [--home DIR]

          Makes the host running with this home issue a new invite code for its party and prints it.
          --ttl (90s, 30m, 1h, 7d; at most 30d) ends it after that time, --uses after N members joined
          with it; without either it lasts until revoked or the party ends. The party id is the
          party's first invite code; --revoke CODE stops a code (or the party id) admitting anyone.
          Members already in stay; a kicked member stays out whatever code it brings. Joining with an
          old code fails with the reason: expired, revoked or used up.
          """),
      Map.entry("leave", """
          usage: party leave [--home DIR]

          Makes the member running with this home leave its party (the host leaving ends it) and exit.
          """));

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
        case "ping" -> ping(commandLine);
        case "doctor" -> doctor(commandLine);
        case "expose", "forward", "socks" -> mapPort(commandLine);
        case "invite" -> invite(commandLine);
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

  private ExitCode doctor(CommandLine commandLine) throws CliException {
    PartyConfig config;
    try {
      Files.createDirectories(commandLine.home());
      config = PartyConfig.load(commandLine.home(), commandLine.overrides());
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    } catch (IOException e) {
      throw new CliException(ExitCode.FAILURE, "cannot use home " + commandLine.home() + ": " + e.getMessage());
    }
    JsonNode running = ControlSocket.memberRunning(commandLine.home()) ? runningStatus(commandLine) : null;
    boolean healthy = new Doctor(config, running).report(out, commandLine.json());
    return healthy ? ExitCode.OK : ExitCode.FAILURE;
  }

  /** The running member's status, or an empty document when it is not in a party yet. */
  private static JsonNode runningStatus(CommandLine commandLine) {
    try {
      return fetchStatus(commandLine);
    } catch (CliException e) {
      return StatusView.MAPPER.createObjectNode();
    }
  }

  private ExitCode ping(CommandLine commandLine) throws CliException {
    try {
      return new PingCommand(out).run(commandLine);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.FAILURE;
    }
  }

  private ExitCode leave(CommandLine commandLine) throws CliException {
    failIfError(ControlSocket.request(commandLine.home(), "leave", REQUEST_TIMEOUT));
    out.println("left the party");
    return ExitCode.OK;
  }

  private ExitCode invite(CommandLine commandLine) throws CliException {
    JsonNode answer = ControlSocket.request(commandLine.home(), InviteRequests.request(commandLine), REQUEST_TIMEOUT);
    failIfError(answer);
    out.println(InviteRequests.describe(answer));
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

  /** {@code party expose}, {@code forward} and {@code socks}: the running member sets it up and describes it. */
  private ExitCode mapPort(CommandLine commandLine) throws CliException {
    PortSpec spec = commandLine.portSpecs().get(0);
    JsonNode answer = ControlSocket.request(commandLine.home(), spec.requestLine(), REQUEST_TIMEOUT);
    failIfError(answer);
    JsonNode mapping = answer.path("mapping");
    out.print(commandLine.json() ? mapping.toPrettyString() + "\n" : StatusView.describe(mapping) + "\n");
    return ExitCode.OK;
  }

  private static void failIfError(JsonNode answer) throws CliException {
    if (!answer.path("ok").asBoolean()) {
      String reason = answer.path("reason").asText("INTERNAL");
      ExitCode code = switch (reason) {
        case "NOT_IN_PARTY" -> ExitCode.NOT_FOUND;
        case "BACKEND_UNAVAILABLE" -> ExitCode.UNAVAILABLE;
        case "INVALID_ARGUMENT" -> ExitCode.USAGE;
        default -> ExitCode.FAILURE;
      };
      throw new CliException(code, answer.path("error").asText("the running member reported an error"));
    }
  }
}
