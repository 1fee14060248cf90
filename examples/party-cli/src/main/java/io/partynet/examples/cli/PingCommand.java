package io.partynet.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partynet.Party;
import io.partynet.PartyException;
import io.partynet.PartyManager;
import io.partynet.Peer;
import io.partynet.PeerStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code party ping PEER [-c N]}: round trips through the tunnel to one member, named by its
 * display name or virtual IP. The command sends one control request per probe to the member
 * running in the home ({@code ping PEER}); that member sends one probe through the tunnel
 * ({@link PartyManager#ping}) and answers with the round trip and the path. One probe a second,
 * like ping(8). Exit codes: 0 when at least one probe was answered, 1 when none was, 3 when no
 * member runs in the home or the party has no such member, 2 for usage errors.
 *
 * <p>Not thread-safe; one instance per invocation (the member side, {@link #answer}, is stateless).
 */
final class PingCommand {
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final Duration REQUEST_TIMEOUT = PROBE_TIMEOUT.plusSeconds(10);
  private static final int DEFAULT_COUNT = 4;

  private final PrintStream out;

  PingCommand(PrintStream out) {
    this.out = out;
  }

  ExitCode run(CommandLine commandLine) throws CliException, InterruptedException {
    String target = commandLine.arguments().get(0).strip();
    if (target.isEmpty() || target.length() > Peer.MAX_NAME_LENGTH || target.chars().anyMatch(Character::isISOControl)) {
      throw CliException.usage("ping takes a member's name or virtual IP, got '" + target + "'");
    }
    int count = commandLine.count() > 0 ? commandLine.count() : DEFAULT_COUNT;
    List<Double> rtts = new ArrayList<>();
    JsonNode last = null;
    for (int seq = 1; seq <= count; seq++) {
      long started = System.nanoTime();
      JsonNode answer = ControlSocket.request(commandLine.home(), "ping " + target, REQUEST_TIMEOUT);
      if (!answer.path("ok").asBoolean()) {
        String reason = answer.path("reason").asText("INTERNAL");
        ExitCode code = reason.equals("NOT_IN_PARTY") || reason.equals("PEER_NOT_FOUND") ? ExitCode.NOT_FOUND
            : reason.equals("BACKEND_UNAVAILABLE") ? ExitCode.UNAVAILABLE : ExitCode.FAILURE;
        throw new CliException(code, answer.path("error").asText("the running member could not ping"));
      }
      if (last == null && !commandLine.json()) {
        out.printf("PING %s (%s) through the tunnel, path %s%n", answer.path("peer").asText(),
            answer.path("virtualIp").asText(), answer.path("path").asText());
      }
      last = answer;
      if (answer.path("rttMs").isNumber()) {
        rtts.add(answer.path("rttMs").asDouble());
        if (!commandLine.json()) {
          out.printf(Locale.ROOT, "reply from %s (%s): seq=%d time=%.1f ms path=%s%n", answer.path("peer").asText(),
              answer.path("virtualIp").asText(), seq, answer.path("rttMs").asDouble(), answer.path("path").asText());
        }
      } else if (!commandLine.json()) {
        out.printf("no reply from %s (%s): seq=%d (%s)%n", answer.path("peer").asText(),
            answer.path("virtualIp").asText(), seq, answer.path("error").asText("timed out"));
      }
      long pause = INTERVAL.toNanos() - (System.nanoTime() - started);
      if (seq < count && pause > 0) {
        TimeUnit.NANOSECONDS.sleep(pause); // pacing the probes, one a second like ping(8)
      }
    }
    if (commandLine.json()) {
      out.println(summary(last, count, rtts).toPrettyString());
    } else {
      out.print(statistics(last.path("peer").asText(), count, rtts));
    }
    return rtts.isEmpty() ? ExitCode.FAILURE : ExitCode.OK;
  }

  static ObjectNode summary(JsonNode last, int sent, List<Double> rtts) {
    ObjectNode n = StatusView.MAPPER.createObjectNode();
    n.put("peer", last.path("peer").asText());
    n.put("virtualIp", last.path("virtualIp").asText());
    n.put("path", last.path("path").asText());
    n.put("sent", sent);
    n.put("answered", rtts.size());
    n.put("loss", (double) (sent - rtts.size()) / sent);
    ArrayNode all = n.putArray("rttsMs");
    rtts.forEach(all::add);
    if (!rtts.isEmpty()) {
      n.put("minMs", rtts.stream().mapToDouble(Double::doubleValue).min().orElseThrow());
      n.put("avgMs", rtts.stream().mapToDouble(Double::doubleValue).average().orElseThrow());
      n.put("maxMs", rtts.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
    }
    return n;
  }

  static String statistics(String peer, int sent, List<Double> rtts) {
    StringBuilder s = new StringBuilder();
    s.append("--- ").append(peer).append(" ping statistics ---\n");
    s.append(String.format(Locale.ROOT, "%d probes sent, %d answered, %.0f%% loss", sent, rtts.size(),
        100.0 * (sent - rtts.size()) / sent));
    if (!rtts.isEmpty()) {
      s.append(String.format(Locale.ROOT, "; round trip min/avg/max = %.1f/%.1f/%.1f ms",
          rtts.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
          rtts.stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
          rtts.stream().mapToDouble(Double::doubleValue).max().orElseThrow()));
    }
    return s.append('\n').toString();
  }

  /**
   * The running member's side of one probe: finds the member called (or at) {@code target},
   * sends one probe through the tunnel and answers with the round trip, or with {@code rttMs}
   * null and an {@code error} when it timed out.
   */
  static ObjectNode answer(PartyManager manager, String target) {
    ObjectNode answer = StatusView.MAPPER.createObjectNode();
    Optional<Party> party = manager.currentParty();
    Optional<Peer> peer = party.flatMap(p -> p.getPeerList().stream()
        .filter(m -> !m.id().equals(manager.myPeerId()))
        .filter(m -> m.name().equals(target) || target.equals(m.virtualIp()))
        .findFirst());
    if (peer.isEmpty()) {
      answer.put("ok", false);
      answer.put("reason", "PEER_NOT_FOUND");
      answer.put("error", "no other member called or at '" + target + "' in the party; 'party status' lists them");
      return answer;
    }
    Peer p = peer.get();
    answer.put("peer", p.name());
    answer.put("virtualIp", p.virtualIp());
    answer.put("path", path(manager, p));
    try {
      answer.put("rttMs", manager.ping(p.id(), PROBE_TIMEOUT).get(PROBE_TIMEOUT.toMillis() + 1000,
          TimeUnit.MILLISECONDS));
      answer.put("ok", true);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof PartyException failure && failure.reason() == PartyException.Reason.TIMEOUT) {
        answer.putNull("rttMs");
        answer.put("ok", true);
        answer.put("error", "no answer within " + PROBE_TIMEOUT.toMillis() + " ms");
      } else {
        answer.put("ok", false);
        answer.put("reason", e.getCause() instanceof PartyException failure ? failure.reason().name() : "INTERNAL");
        answer.put("error", String.valueOf(e.getCause().getMessage()));
      }
    } catch (TimeoutException e) {
      answer.putNull("rttMs");
      answer.put("ok", true);
      answer.put("error", "no answer within " + PROBE_TIMEOUT.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer.put("ok", false);
      answer.put("reason", "INTERNAL");
      answer.put("error", "interrupted");
    }
    return answer;
  }

  private static String path(PartyManager manager, Peer peer) {
    try {
      return manager.status().get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).peers().stream()
          .filter(s -> s.peer().id().equals(peer.id())).findFirst().map(PeerStatus::peer)
          .map(p -> p.connectionType().name()).orElse("NONE");
    } catch (ExecutionException | TimeoutException e) {
      return peer.connectionType().name();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return peer.connectionType().name();
    }
  }
}
