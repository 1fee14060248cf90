package io.partynet.examples.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.partynet.NatType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * When a member runs with the home: why each other member is reached directly, through the relay,
 * or not at all, from the two NAT types ({@link NatType#canConnectDirectly}) and the measured link
 * quality in the running member's status document.
 *
 * <p>Stateless and thread-safe.
 */
final class PeerChecks {
  /** Loss from which a link is worth a warning: games stutter well before this. */
  static final double NOTICEABLE_LOSS = 0.05;

  private PeerChecks() {}

  static List<Check> paths(JsonNode status) {
    List<Check> checks = new ArrayList<>();
    NatType mine = nat(status.path("myNatType").asText());
    for (JsonNode peer : status.path("peers")) {
      if (peer.path("self").asBoolean()) {
        continue;
      }
      String name = "path to " + peer.path("name").asText();
      NatType theirs = nat(peer.path("natType").asText());
      String nats = "your NAT " + mine + ", theirs " + theirs;
      Check check = switch (peer.path("connectionType").asText()) {
        case "DIRECT" -> Check.pass(name, "direct (" + nats + ")");
        case "RELAY" -> mine.canConnectDirectly(theirs) && theirs.canConnectDirectly(mine)
            ? Check.warn(name, "relayed, although " + nats + " allow a direct path: the direct attempt failed",
                "a firewall may drop UDP between you; the relay works, a direct path is faster")
            : Check.pass(name, "relayed: " + nats + " cannot punch a direct path, so the TURN relay carries it");
        default -> Check.fail(name, "not connected (" + nats + ")", "check that they are online ('party ping "
            + peer.path("name").asText() + "'), and that a TURN relay (nat.turn-server) is configured for strict NATs");
      };
      checks.add(withLoss(check, peer.path("linkQuality")));
    }
    return checks;
  }

  private static Check withLoss(Check check, JsonNode quality) {
    if (check.status() != Check.Status.PASS || !quality.isObject() || quality.path("samples").asInt() == 0) {
      return check;
    }
    double loss = quality.path("loss").asDouble();
    String figures = quality.path("rttMs").isNumber()
        ? String.format(Locale.ROOT, "; %.0f ms, %.0f%% loss", quality.path("rttMs").asDouble(), loss * 100)
        : "; no probe answered";
    if (loss >= NOTICEABLE_LOSS) {
      return Check.warn(check.name(), check.detail() + figures, "packets are being lost on the way: a busy Wi-Fi or "
          + "uplink is the usual cause; try a cable, or stop large downloads");
    }
    return Check.pass(check.name(), check.detail() + figures);
  }

  private static NatType nat(String name) {
    try {
      return NatType.valueOf(name);
    } catch (IllegalArgumentException e) {
      return NatType.UNKNOWN;
    }
  }
}
