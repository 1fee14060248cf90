package io.partynet.examples.cli.lab;

import com.fasterxml.jackson.databind.JsonNode;
import io.partynet.ConnectionType;
import io.partynet.NatType;
import io.partynet.testing.lab.LabSite;
import io.partynet.testing.lab.Lab;
import java.time.Duration;
import java.util.Optional;

/**
 * One pair run: a member creates a party in one home network, another joins it from a second one,
 * the joiner pings the creator's virtual IP until the first answer, the creator pings back, and
 * both report the path to the other. Both members leave before {@link #run} returns.
 * Stateless and thread-safe.
 */
final class PairRun {
  static final Duration FIRST_PING = Duration.ofSeconds(30);
  /**
   * A pair whose punch is slow starts on the relay (after a 1 s head start) and moves to the direct
   * path at the first check, which waits for the NAT types (up to 15 s) and 5 s more: room for two checks.
   */
  static final Duration PATH_SETTLED = Duration.ofSeconds(45);
  /** Behaviour discovery waits 4.6 s per unanswered test; two of them behind a filtering NAT, on a loaded host. */
  static final Duration NAT_LEARNT = Duration.ofSeconds(30);

  private PairRun() {}

  /**
   * What one pair run saw.
   *
   * @param hostNat the creator's own NatType (status myNatType); null when the run broke before
   * @param guestNat the joiner's own NatType; null when the run broke before
   * @param firstPingMs from join returning to the first ping answered through the tunnel; -1: none within the deadline
   * @param pingBack the creator reached the joiner too
   * @param hostSees the path the creator reports to the joiner
   * @param guestSees the path the joiner reports to the creator
   * @param detail logs when something failed, else empty
   */
  record Outcome(NatType hostNat, NatType guestNat, long firstPingMs, boolean pingBack, ConnectionType hostSees,
      ConnectionType guestSees, String detail) {
    boolean connected() {
      return firstPingMs >= 0 && pingBack;
    }

    /** A run that broke before it could measure anything (a member did not start, a command failed). */
    static Outcome broken(RuntimeException e) {
      java.io.StringWriter trace = new java.io.StringWriter();
      e.printStackTrace(new java.io.PrintWriter(trace));
      return new Outcome(null, null, -1, false, ConnectionType.NONE, ConnectionType.NONE, trace.toString());
    }

    /** Both sides' path, or "A/B" when they disagree. */
    String path() {
      return hostSees == guestSees ? hostSees.name() : hostSees + "/" + guestSees;
    }
  }

  /**
   * Runs the pair; the paths reported are the ones the pair settles on: the path {@link NatPair}
   * requires for these sites when both reach it within {@link #PATH_SETTLED}, else the last seen.
   */
  static Outcome run(PartyLab party, LabSite hostSite, LabSite guestSite, String tag) {
    Optional<ConnectionType> required = new NatPair(hostSite.kind(), guestSite.kind()).requiredPath();
    try (LabMember host = party.create(hostSite, "host-" + tag);
        LabMember guest = party.join(guestSite, "guest-" + tag, host.inviteCode())) {
      long joined = guest.joinedAtNanos();
      boolean reached = party.ping(guest, host.virtualIp(), FIRST_PING);
      long firstPingMs = reached ? (System.nanoTime() - joined) / 1_000_000 : -1;
      boolean back = party.ping(host, guest.virtualIp(), FIRST_PING);
      ConnectionType[] paths = {ConnectionType.NONE, ConnectionType.NONE};
      try {
        Lab.await("both members to report a path to each other", PATH_SETTLED, () -> {
          paths[0] = pathTo(host, guest);
          paths[1] = pathTo(guest, host);
          return paths[0] != ConnectionType.NONE && paths[1] != ConnectionType.NONE
              && required.map(r -> paths[0] == r && paths[1] == r).orElse(true);
        });
      } catch (RuntimeException e) {
        // reported through the outcome: NONE on a side is a failure the caller asserts on
      }
      // NAT classification runs in the background after the join: wait for it, bounded.
      NatType[] nats = {NatType.UNKNOWN, NatType.UNKNOWN};
      try {
        Lab.await("both members to learn their NAT type", NAT_LEARNT, () -> {
          nats[0] = NatType.valueOf(host.status().path("myNatType").asText());
          nats[1] = NatType.valueOf(guest.status().path("myNatType").asText());
          return nats[0] != NatType.UNKNOWN && nats[1] != NatType.UNKNOWN;
        });
      } catch (RuntimeException e) {
        // reported through the outcome: the caller compares with natdiscovery's answer
      }
      NatType hostNat = nats[0];
      NatType guestNat = nats[1];
      boolean ok = reached && back && paths[0] != ConnectionType.NONE && paths[1] != ConnectionType.NONE;
      String detail = ok ? "" : "---- " + host + " status ----\n" + host.status().toPrettyString()
          + "\n---- " + guest + " status ----\n" + guest.status().toPrettyString()
          + "\n---- " + host + " log ----\n" + host.log() + "\n---- " + guest + " log ----\n" + guest.log();
      return new Outcome(hostNat, guestNat, firstPingMs, back, paths[0], paths[1], detail);
    }
  }

  /** The connection type {@code from} reports for {@code to} (NONE when {@code to} is not listed). */
  static ConnectionType pathTo(LabMember from, LabMember to) {
    JsonNode status = from.status();
    return from.peer(status, to.name())
        .map(p -> ConnectionType.valueOf(p.path("connectionType").asText()))
        .orElse(ConnectionType.NONE);
  }
}
