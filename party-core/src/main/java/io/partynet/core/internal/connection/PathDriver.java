package io.partynet.core.internal.connection;

import io.partynet.Endpoint;
import io.partynet.spi.PeerStats;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out what a {@link ConnectionManager}'s links decide: points WireGuard at the path a link
 * tries ({@link #use}), opens the relay path, does what a relayed link's {@link PathUpgrade}
 * decided ({@link #act}), and reports a link's changes to the listener.
 *
 * <p>Not thread-safe: only the manager's thread calls it.
 */
final class PathDriver {
  /** The manager's logger: these are its links' lines, and tools read them by that name (JoinPhases). */
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionManager.class);

  private final ConnectionManager.DataPath dataPath;
  /** Null when no relay is configured. */
  private final ConnectionManager.Relay relay;
  private final ConnectionManager.PunchSignal punchSignal;
  private final ConnectionManager.Listener listener;
  private final Clock clock;

  PathDriver(ConnectionManager.DataPath dataPath, ConnectionManager.Relay relay,
      ConnectionManager.PunchSignal punchSignal, ConnectionManager.Listener listener, Clock clock) {
    this.dataPath = dataPath;
    this.relay = relay;
    this.punchSignal = punchSignal;
    this.listener = listener;
    this.clock = clock;
  }

  /** Points WireGuard at {@code path} of the link (a punch also signals the peer); null does nothing. */
  void use(TrackedLink tracked, PathKind path) {
    if (path == null) {
      return;
    }
    switch (path) {
      case LAN, IPV6 -> dataPath.configure(tracked.peer, tracked.choice.endpoint());
      case DIRECT -> dataPath.configure(tracked.peer, tracked.peer.endpoint());
      case PUNCH -> {
        dataPath.configure(tracked.peer, tracked.peer.endpoint());
        punchSignal.send(tracked.peer);
      }
      case RELAY -> {
        try {
          tracked.forwarder = relay.open(tracked.peer);
          if (tracked.link.state() == PeerLink.State.CONNECTING && !hasSession(tracked)) {
            // No session: WireGuard's first handshake through the relay goes now, not after the 5 s
            // retry timer of the punch's last one. A session (a handshake the link did not count,
            // e.g. just before a re-plan) is kept: re-adding the peer would leave the other side
            // with keys this side forgot.
            dataPath.restart(tracked.peer, tracked.forwarder);
          } else {
            dataPath.configure(tracked.peer, tracked.forwarder);
          }
        } catch (IOException e) {
          // Usually a normal wait (allocation, the peer's relayed address); relayReady() retries at once.
          LOG.info("relay to {} ({}) not ready: {}", tracked.peer.name(), tracked.peer.id(), e.getMessage());
        }
      }
    }
  }

  /** Points WireGuard at nothing for the peer (it still learns the endpoint if the peer calls first). */
  void useNone(TrackedLink tracked) {
    dataPath.configure(tracked.peer, null);
  }

  /** Starts the peer afresh on {@code endpoint}, so its first handshake goes there at once. */
  void restartOn(TrackedLink tracked, Endpoint endpoint) {
    dataPath.restart(tracked.peer, endpoint);
  }

  /** The other member asked to punch: point WireGuard at it again now, so both sides send at once. */
  void punchBack(TrackedLink tracked) {
    dataPath.configure(tracked.peer, tracked.peer.endpoint());
  }

  /**
   * Asks the relay for the link's forwarder and remembers it; returns whether the relay path is
   * ready (else the relay calls for {@link ConnectionManager#relayReady} once it is).
   */
  boolean openRelay(TrackedLink tracked, String why) {
    try {
      tracked.forwarder = relay.open(tracked.peer);
      return true;
    } catch (IOException e) {
      LOG.debug("relay to {} ({}) {}: {}", tracked.peer.name(), tracked.peer.id(), why, e.getMessage());
      return false;
    }
  }

  /** Does what the relayed link's {@link PathUpgrade} decided. */
  void act(TrackedLink tracked, PathUpgrade.Action action) {
    PathKind direct = tracked.upgradeTarget();
    Endpoint target = direct == PathKind.LAN || direct == PathKind.IPV6
        ? tracked.choice.endpoint() : tracked.peer.endpoint();
    switch (action) {
      case NONE -> { }
      case CHECK -> {
        LOG.info("checking the {} path to {} ({}) at {}", direct, tracked.peer.name(), tracked.peer.id(), target);
        dataPath.configure(tracked.peer, target);
        punchSignal.send(tracked.peer);
      }
      case REPOINT -> dataPath.configure(tracked.peer, target);
      case REVERT -> {
        LOG.info("the {} path to {} ({}) did not answer; staying on the relay", direct, tracked.peer.name(),
            tracked.peer.id());
        dataPath.configure(tracked.peer, tracked.forwarder);
      }
      case UPGRADED -> {
        tracked.link.switchTo(direct);
        report(tracked);
      }
      case FALL_BACK -> {
        dataPath.configure(tracked.peer, tracked.forwarder);
        tracked.link.switchTo(PathKind.RELAY);
        report(tracked);
      }
    }
  }

  /** Tells the listener what the link is now. */
  void report(TrackedLink tracked) {
    LOG.info("link to {} ({}) is {} via {}", tracked.peer.name(), tracked.peer.id(), tracked.link.state(),
        tracked.link.path());
    listener.onConnectionChanged(tracked.peer, tracked.link.reported());
  }

  /** WireGuard had a handshake with the peer recently enough for the session to be valid, at the last tick. */
  private boolean hasSession(TrackedLink tracked) {
    PeerStats last = tracked.lastStats;
    return last != null && last.lastHandshake() != null
        && Duration.between(last.lastHandshake(), clock.instant()).compareTo(LinkSettings.REJECT_AFTER_TIME) < 0;
  }
}
