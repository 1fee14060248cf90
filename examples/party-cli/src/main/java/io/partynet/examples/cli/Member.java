package io.partynet.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partynet.Party;
import io.partynet.PartyConfig;
import io.partynet.PartyException;
import io.partynet.PartyManager;
import io.partynet.Peer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code party create} and {@code party join}: one party member in the foreground. It prints the
 * invite code, then every change as it happens, and runs until it is stopped, told to leave
 * through its control socket ({@code party leave}), removed, or the party ends.
 *
 * <p>Stopping is not leaving (PARTY.md): SIGTERM (a service manager, the operating system shutting
 * down) and Ctrl-C (SIGINT) both stop the member and keep its party, persisted in the home, so the
 * next {@code party create|join} with the same home resumes it; only {@code party leave} leaves.
 * Ctrl-C is a stop too because the JVM cannot tell it from SIGTERM in a shutdown hook, and because
 * closing a terminal by accident should not end a host's party for everyone.
 *
 * <p>Thread-safe: {@link #stop} may race between the main thread, the shutdown hook and the
 * control socket; it runs once.
 */
final class Member {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final CommandLine commandLine;
  private final PrintStream out;
  private final CountDownLatch ended = new CountDownLatch(1);
  private final AtomicBoolean stopped = new AtomicBoolean();
  private volatile PartyManager manager;
  private volatile ControlSocket control;
  private volatile Chat chat;
  private volatile EventPrinter printer;
  private volatile Duration timeout = Duration.ofSeconds(10);
  private volatile String myVirtualIp = "";
  private final PortMappings ports = new PortMappings(() -> manager.network(), port -> manager.socksProxy(port));

  Member(CommandLine commandLine, PrintStream out) {
    this.commandLine = commandLine;
    this.out = out;
  }

  ExitCode run() throws CliException {
    PartyConfig config = loadConfig();
    timeout = config.requestTimeout().multipliedBy(4);
    try {
      // The socket first: it is also the lock that keeps a second member off the same home.
      control = ControlSocket.listen(config.home(), this::answer);
      // The SDK installs no JVM hook (the application owns its lifecycle); the CLI's hook closes
      // the manager, which flushes the persisted party and keeps it.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        if (stop()) {
          out.println(now() + " stopped; the party is kept: run again with this home to resume it, or 'party leave'");
        }
      }, "party-cli-shutdown"));
      printer = new EventPrinter(out, ended::countDown);
      printer.starting(config);
      manager = PartyManager.builder().home(config.home()).config(config).listener(printer).build();
      printer.started(manager.myPeerId());
      Party party = enterParty(config);
      Peer me = party.peers().get(manager.myPeerId());
      out.println("Invite code: " + TerminalText.safe(party.id()));
      out.println("You are " + TerminalText.safe(me.name()) + " at " + TerminalText.safe(me.virtualIp()) + " in party '"
          + TerminalText.safe(party.name()) + "' ("
          + party.peers().size() + " member(s); NAT " + manager.natType() + "). 'party leave' leaves; Ctrl-C stops and keeps the party.");
      printer.entered(party, manager.natType());
      myVirtualIp = me.virtualIp();
      openChat(me.virtualIp());
      applyPortOptions();
      ended.await();
      return ExitCode.OK;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.FAILURE;
    } catch (IOException e) {
      throw new CliException(ExitCode.FAILURE, e.getMessage());
    } finally {
      stop();
    }
  }

  private PartyConfig loadConfig() throws CliException {
    try {
      Files.createDirectories(commandLine.home());
      return PartyConfig.load(commandLine.home(), commandLine.overrides());
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    } catch (IOException e) {
      throw new CliException(ExitCode.FAILURE, "cannot use home " + commandLine.home() + ": " + e.getMessage());
    }
  }

  private Party enterParty(PartyConfig config) throws CliException {
    if (manager.currentParty().isPresent()) {
      Party resumed = manager.currentParty().get();
      out.println("Resuming party " + TerminalText.safe(resumed.id()) + " left over from the previous run in "
          + commandLine.home() + " ('party leave' ends it).");
      return resumed;
    }
    String argument = commandLine.arguments().get(0);
    boolean create = commandLine.command().equals("create");
    printer.registering(config, create ? "creating party '" + argument + "'" : "joining party " + argument);
    CompletableFuture<Party> joining = create ? manager.create(argument) : manager.join(argument, commandLine.name());
    return await(joining);
  }

  private <T> T await(CompletableFuture<T> future) throws CliException {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | CompletionException e) {
      if (e.getCause() instanceof PartyException party) {
        throw new CliException(ExitCode.of(party), party.getMessage());
      }
      throw new CliException(ExitCode.FAILURE, String.valueOf(e.getCause()));
    } catch (TimeoutException e) {
      throw new CliException(ExitCode.UNAVAILABLE, "no answer within " + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCode.FAILURE, "interrupted");
    }
  }

  /** {@code --expose}/{@code --forward}/{@code --socks}: each is set up once in the party, or the member stops with its error. */
  private void applyPortOptions() throws CliException {
    for (PortSpec spec : commandLine.portSpecs()) {
      try {
        out.println(now() + " " + StatusView.describe(ports.apply(spec)));
      } catch (CliException e) {
        throw new CliException(e.exitCode(), "--" + spec.requestLine().split(" ")[0] + ": " + e.getMessage());
      }
    }
  }

  /** Answers a control-socket request. */
  private JsonNode answer(String request) {
    ObjectNode answer = StatusView.MAPPER.createObjectNode();
    if (manager == null || manager.currentParty().isEmpty()) {
      answer.put("ok", false);
      answer.put("reason", "NOT_IN_PARTY");
      answer.put("error", "the member in " + commandLine.home() + " is still starting or not in a party; retry");
      return answer;
    }
    if (request.startsWith("ping ")) {
      return PingCommand.answer(manager, request.substring(5));
    }
    try {
      if (request.startsWith("say ")) {
        Chat c = chat;
        if (c == null) {
          answer.put("ok", false);
          answer.put("reason", "BACKEND_UNAVAILABLE");
          answer.put("error", "this member has no network (--network off): nothing to send through");
          return answer;
        }
        try {
          answer.put("sent", c.sayToAll(request.substring(4)));
        } catch (IOException e) {
          answer.put("ok", false);
          answer.put("reason", "INTERNAL");
          answer.put("error", "sending failed: " + e.getMessage());
          return answer;
        }
        answer.put("ok", true);
        return answer;
      }
      if (request.startsWith("expose ") || request.startsWith("forward ") || request.startsWith("socks ")) {
        ObjectNode mapping = ports.apply(PortSpec.ofRequest(request));
        out.println(now() + " " + StatusView.describe(mapping));
        answer.put("ok", true);
        answer.set("mapping", mapping);
        return answer;
      }
      if (InviteRequests.handles(request)) {
        await(InviteRequests.perform(request, manager, answer));
        answer.put("ok", true);
        return answer;
      }
      switch (request) {
        case "status" -> {
          ObjectNode status = StatusView.toJson(await(manager.status()), manager.discoveryStats());
          ports.addTo(status, myVirtualIp);
          answer.set("status", status);
        }
        case "leave" -> {
          await(manager.leave());
          ended.countDown();
        }
        default -> {
          answer.put("ok", false);
          answer.put("reason", "INVALID_ARGUMENT");
          answer.put("error", "unknown request");
          return answer;
        }
      }
      answer.put("ok", true);
      return answer;
    } catch (CliException e) {
      answer.put("ok", false);
      answer.put("reason", switch (e.exitCode()) {
        case NOT_FOUND -> "NOT_IN_PARTY";
        case UNAVAILABLE -> "BACKEND_UNAVAILABLE";
        case USAGE -> "INVALID_ARGUMENT";
        default -> "INTERNAL";
      });
      answer.put("error", e.getMessage());
      return answer;
    }
  }

  /** Listens for {@code party say} messages from the others; without a network there is nothing to listen on. */
  private void openChat(String myVirtualIp) {
    if ("off".equals(commandLine.overrides().get("network.backend"))) {
      return;
    }
    try {
      chat = Chat.open(manager, myVirtualIp, out);
    } catch (IOException | RuntimeException e) {
      out.println("(messages from 'party say' cannot be received: " + e.getMessage() + ")");
    }
  }

  /** Closes the manager (which keeps the party, flushed) and the socket; true for the one call that did. */
  private boolean stop() {
    if (!stopped.compareAndSet(false, true)) {
      return false;
    }
    Chat c0 = chat;
    if (c0 != null) {
      c0.close();
    }
    ports.close();
    PartyManager m = manager;
    if (m != null) {
      m.close();
    }
    ControlSocket c = control;
    if (c != null) {
      c.close();
    }
    ended.countDown();
    return m != null && m.currentParty().isPresent();
  }

  private static String now() {
    return LocalTime.now().format(TIME);
  }
}
