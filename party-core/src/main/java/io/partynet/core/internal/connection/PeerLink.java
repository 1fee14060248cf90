package io.partynet.core.internal.connection;

import io.partynet.ConnectionType;
import io.partynet.spi.Backoff;
import io.partynet.spi.PeerStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The health of the link to one peer, as a state machine fed by what WireGuard itself reports
 * (latest handshake, received bytes) and a clock:
 * <ul>
 *   <li>CONNECTING on a path until a handshake newer than the attempt shows up, or bytes arrive
 *       during the attempt on a session that is still live (then UP), or
 *       {@link LinkSettings#connectTimeout()} passes (then the next path of the plan, or DOWN);</li>
 *   <li>UP until nothing is received for {@link LinkSettings#silenceTimeout()} or the session
 *       expires (then DOWN);</li>
 *   <li>DOWN retries the whole plan after an exponential backoff with jitter, capped at the
 *       backoff's maximum, and heals by itself when a fresh handshake arrives (WireGuard roamed).</li>
 * </ul>
 * A link is never given up: it retries for as long as the peer is tracked, that is for as long as
 * the peer is a member (the control plane, not the link, decides when a member is gone).
 * Each {@link #observe} returns what the caller must do, so the machine holds no I/O and is tested
 * with a manual clock.
 *
 * <p>Not thread-safe: one connection-manager thread drives each link.
 */
public final class PeerLink {

  /** Where the link stands. */
  public enum State { CONNECTING, UP, DOWN }

  /**
   * What the caller must do after an observation.
   *
   * @param state the state after the observation
   * @param changed the state or path changed (report it)
   * @param configurePath non-null: (re)configure WireGuard for this path now (and signal the peer)
   */
  public record Step(State state, boolean changed, PathKind configurePath) {}

  /** How long a host candidate is tried (WireGuard sends its first handshake at once). */
  static final Duration HOST_CANDIDATE_TIMEOUT = Duration.ofSeconds(3);

  private final List<PathKind> plan;
  private final LinkSettings settings;
  private final Backoff backoff;
  private State state;
  private int pathIndex;
  private Instant attemptStart;
  /** Bytes received at the attempt's first observation; -1 until that observation. */
  private long attemptRx = -1;
  private Instant downSince;
  private Instant nextRetry;
  /** Retries since the link went down; the backoff caps the delay however large this grows. */
  private int retries;
  private long lastRx = -1;
  private Instant lastRxChange;

  /** Starts CONNECTING on the first path of {@code plan}; the caller configures it. */
  public PeerLink(List<PathKind> plan, LinkSettings settings, Backoff backoff, Instant now) {
    this.plan = List.copyOf(plan);
    this.settings = Objects.requireNonNull(settings, "settings");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    if (this.plan.isEmpty()) {
      state = State.DOWN;
      downSince = now;
      nextRetry = now.plus(backoff.delay(0));
    } else {
      state = State.CONNECTING;
      startAttempt(now);
    }
  }

  public State state() {
    return state;
  }

  /** The path in use or being tried; null when there is none. */
  public PathKind path() {
    return state == State.DOWN || plan.isEmpty() ? null : plan.get(pathIndex);
  }

  /** What {@code status()} reports for this peer. */
  public ConnectionType reported() {
    if (state != State.UP) {
      return ConnectionType.NONE;
    }
    // Up without a plan: the peer reached us itself and WireGuard learned its endpoint.
    return plan.isEmpty() ? ConnectionType.DIRECT : plan.get(pathIndex).reported();
  }

  /**
   * Moves a link that is up to another path of its plan, keeping it up (the WireGuard session is
   * the same; only the endpoint changed, see {@link PathUpgrade}).
   */
  void switchTo(PathKind path) {
    int index = plan.indexOf(path);
    if (state == State.UP && index >= 0) {
      pathIndex = index;
    }
  }

  /** The first path to configure, right after construction; null when the plan is empty. */
  public PathKind initialPath() {
    return plan.isEmpty() ? null : plan.get(0);
  }

  /**
   * Feeds the latest WireGuard statistics for this peer ({@code stats} may be null when the peer is
   * not configured at the moment) and the current time.
   */
  public Step observe(PeerStats stats, Instant now) {
    boolean received = trackReceive(stats, now);
    return switch (state) {
      case CONNECTING -> whileConnecting(stats, now);
      case UP -> whileUp(stats, now, received);
      case DOWN -> whileDown(stats, now);
    };
  }

  private Step whileConnecting(PeerStats stats, Instant now) {
    if (handshakeSince(stats, attemptStart) || receivedDuringAttempt(stats, now)) {
      return up(now);
    }
    if (elapsed(attemptStart, now).compareTo(timeoutOf(plan.get(pathIndex))) < 0) {
      return new Step(state, false, null);
    }
    if (pathIndex + 1 < plan.size()) {
      pathIndex++;
      startAttempt(now);
      return new Step(state, true, plan.get(pathIndex));
    }
    return down(now);
  }

  private Step whileUp(PeerStats stats, Instant now, boolean received) {
    boolean silent = !received && elapsed(lastRxChange, now).compareTo(settings.silenceTimeout()) >= 0;
    boolean expired = stats == null || stats.lastHandshake() == null
        || elapsed(stats.lastHandshake(), now).compareTo(LinkSettings.REJECT_AFTER_TIME) >= 0;
    return silent || expired ? down(now) : new Step(state, false, null);
  }

  private Step whileDown(PeerStats stats, Instant now) {
    if (handshakeSince(stats, downSince) && elapsed(lastRxChange, now).compareTo(settings.silenceTimeout()) < 0) {
      return up(now);
    }
    if (!plan.isEmpty() && !now.isBefore(nextRetry)) {
      state = State.CONNECTING;
      pathIndex = 0;
      startAttempt(now);
      return new Step(state, true, plan.get(0));
    }
    return new Step(state, false, null);
  }

  private Step up(Instant now) {
    state = State.UP;
    downSince = null;
    retries = 0;
    if (lastRxChange == null) {
      lastRxChange = now;
    }
    return new Step(state, true, null);
  }

  private Step down(Instant now) {
    boolean wasUp = state == State.UP;
    state = State.DOWN;
    if (downSince == null || wasUp) {
      downSince = now;
      retries = 0;
    }
    nextRetry = now.plus(backoff.delay(retries++));
    return new Step(state, true, null);
  }

  private void startAttempt(Instant now) {
    attemptStart = now;
    attemptRx = -1;
  }

  /**
   * Authenticated bytes from the peer arrived during this attempt on a session that is still live:
   * the link works although no new handshake happened. This is the case when the link restarts
   * because the peer published a new endpoint (a NAT rebinding it learnt from us, or its NAT type)
   * while the session carries traffic: WireGuard handshakes again only when the session ages, so
   * waiting for a handshake would report the working link as down for up to two minutes.
   */
  private boolean receivedDuringAttempt(PeerStats stats, Instant now) {
    if (stats == null) {
      return false;
    }
    if (attemptRx < 0) {
      attemptRx = stats.rxBytes();
      return false;
    }
    boolean live = stats.lastHandshake() != null
        && elapsed(stats.lastHandshake(), now).compareTo(LinkSettings.REJECT_AFTER_TIME) < 0;
    return live && stats.rxBytes() > attemptRx;
  }

  private boolean trackReceive(PeerStats stats, Instant now) {
    if (stats == null) {
      return false;
    }
    boolean grew = stats.rxBytes() > lastRx;
    if (grew) {
      lastRxChange = now;
    }
    lastRx = stats.rxBytes();
    return grew && lastRx > 0;
  }

  /**
   * A host candidate (LAN, IPv6) answers within a round trip or not at all: it gets a shorter
   * try, so a wrong guess costs little before the public mapping and the relay.
   */
  private Duration timeoutOf(PathKind path) {
    boolean host = path == PathKind.LAN || path == PathKind.IPV6;
    return host && HOST_CANDIDATE_TIMEOUT.compareTo(settings.connectTimeout()) < 0
        ? HOST_CANDIDATE_TIMEOUT : settings.connectTimeout();
  }

  private static boolean handshakeSince(PeerStats stats, Instant since) {
    return stats != null && stats.lastHandshake() != null && !stats.lastHandshake().isBefore(since.minusSeconds(1));
  }

  private static Duration elapsed(Instant from, Instant to) {
    return from == null ? Duration.ZERO : Duration.between(from, to);
  }
}
