package io.partynet.core.internal.connection;

import io.partynet.Endpoint;
import io.partynet.spi.PeerStats;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Moves a link that came up on the relay to a direct path once one works, and back to the relay
 * when that path dies, without touching the WireGuard session: only the peer's endpoint changes,
 * and the relay forwarder stays bound all along, so going back costs nothing.
 *
 * <p>Why checks look the way they do: WireGuard owns its socket and keeps one endpoint per peer, so
 * a direct path cannot be probed beside the relayed one (docs/nat-traversal.md section 4). A check
 * therefore points WireGuard at the direct candidate and asks the peer to do the same (a punch-now
 * signal), for at most {@link UpgradeSettings#checkWindow()}. WireGuard roams to the source of every
 * authenticated packet: while the peer's packets still come through the relay, WireGuard's endpoint
 * is the forwarder again (the check points it back at the candidate); a check succeeds when the
 * endpoint stayed off the forwarder between two observations and bytes were received in between,
 * which only a packet that came directly can do. A check that fails goes back to the relay and the
 * next one waits twice as long (capped). An upgraded link goes back to the relay when WireGuard
 * roamed to the forwarder (the peer went back) or nothing arrived for
 * {@link UpgradeSettings#fallbackSilence()}.
 *
 * <p>Like {@link PeerLink}, a machine without I/O fed with WireGuard's statistics and a clock; the
 * caller does what each observation returns. Not thread-safe: one connection-manager thread.
 */
final class PathUpgrade {

  /** What the caller must do after an observation. */
  enum Action {
    /** Nothing. */
    NONE,
    /** Point WireGuard at the direct candidate and ask the peer to do the same. */
    CHECK,
    /** Point WireGuard at the direct candidate again (it roamed back, or the peer asked us to check). */
    REPOINT,
    /** The check failed: point WireGuard at the relay forwarder again. */
    REVERT,
    /** The direct path works: the link now uses it (report the change). */
    UPGRADED,
    /** The direct path died: point WireGuard at the relay forwarder, the link uses the relay (report it). */
    FALL_BACK
  }

  private enum Phase { IDLE, WAITING, CHECKING, UPGRADED }

  private final UpgradeSettings settings;
  private Phase phase = Phase.IDLE;
  private int failedChecks;
  private Instant nextCheck;
  private Instant checkStart;
  /** Bytes received at the last observation with WireGuard off the forwarder; -1 when there is none. */
  private long directRx = -1;
  private Instant lastRxChange;

  PathUpgrade(UpgradeSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** Whether the link uses the direct candidate now (after an upgrade). */
  boolean upgraded() {
    return phase == Phase.UPGRADED;
  }

  /**
   * Feeds one observation.
   *
   * @param relayed the link is up and carried by the relay (before an upgrade or after a fall back)
   * @param upgraded the link is up on the direct candidate this machine moved it to
   * @param stats WireGuard's statistics for the peer; null when the peer is not configured
   * @param forwarder the loopback endpoint of the peer's relay forwarder, null when there is none
   */
  Action observe(boolean relayed, boolean upgraded, PeerStats stats, Endpoint forwarder, Instant now) {
    if (forwarder == null || stats == null || !(relayed || upgraded)) {
      phase = Phase.IDLE;
      return Action.NONE;
    }
    return switch (phase) {
      case IDLE -> {
        wait(now, 0);
        yield Action.NONE;
      }
      case WAITING -> startCheckIfDue(now);
      case CHECKING -> checking(stats, forwarder, now);
      case UPGRADED -> whileUpgraded(stats, forwarder, now);
    };
  }

  /** The peer started a check (its punch-now arrived): join it now instead of at our own time. */
  Action peerChecks(Instant now) {
    if (phase != Phase.WAITING) {
      return Action.NONE;
    }
    startCheck(now);
    return Action.REPOINT;
  }

  private Action startCheckIfDue(Instant now) {
    if (now.isBefore(nextCheck)) {
      return Action.NONE;
    }
    startCheck(now);
    return Action.CHECK;
  }

  private void startCheck(Instant now) {
    phase = Phase.CHECKING;
    checkStart = now;
    directRx = -1;
  }

  private Action checking(PeerStats stats, Endpoint forwarder, Instant now) {
    boolean overdue = Duration.between(checkStart, now).compareTo(settings.checkWindow()) >= 0;
    boolean direct = stats.endpoint() != null && !stats.endpoint().equals(forwarder);
    if (direct && directRx >= 0 && stats.rxBytes() > directRx) {
      phase = Phase.UPGRADED;
      failedChecks = 0;
      directRx = stats.rxBytes();
      lastRxChange = now;
      return Action.UPGRADED;
    }
    if (overdue) {
      wait(now, ++failedChecks);
      return Action.REVERT;
    }
    // Off the forwarder now: bytes counted from here on can only have come directly. Back on it:
    // the peer's packets still come through the relay, so WireGuard roamed; point it back.
    directRx = direct ? stats.rxBytes() : -1;
    return direct ? Action.NONE : Action.REPOINT;
  }

  private Action whileUpgraded(PeerStats stats, Endpoint forwarder, Instant now) {
    if (stats.rxBytes() > directRx) {
      directRx = stats.rxBytes();
      lastRxChange = now;
    }
    boolean peerWentBack = forwarder.equals(stats.endpoint());
    boolean silent = Duration.between(lastRxChange, now).compareTo(settings.fallbackSilence()) >= 0;
    if (peerWentBack || silent) {
      wait(now, 0);
      return Action.FALL_BACK;
    }
    return Action.NONE;
  }

  private void wait(Instant now, int failed) {
    phase = Phase.WAITING;
    failedChecks = failed;
    nextCheck = now.plus(settings.interval(failed));
  }
}
