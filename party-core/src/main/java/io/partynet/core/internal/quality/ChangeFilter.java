package io.partynet.core.internal.quality;

import io.partynet.LinkQuality;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Decides when a member's link quality changed enough to tell the listener, so that a UI redraws
 * a ping bar when it means something and is not flooded otherwise. Reported are: the first
 * measurement, every path change (at once), and — at most once per {@code minInterval} — a round
 * trip that moved by at least {@link #RTT_ABSOLUTE_MS} and {@link #RTT_RELATIVE} of the last
 * reported one, a jitter that moved by at least {@link #JITTER_ABSOLUTE_MS} and
 * {@link #JITTER_RELATIVE}, a loss that moved by at least {@link #LOSS_ABSOLUTE}, or a round trip
 * appearing or vanishing (every probe lost).
 *
 * <p>Not thread-safe: one per member, used on the manager's worker.
 */
final class ChangeFilter {
  static final double RTT_ABSOLUTE_MS = 5;
  static final double RTT_RELATIVE = 0.2;
  static final double JITTER_ABSOLUTE_MS = 5;
  static final double JITTER_RELATIVE = 0.5;
  static final double LOSS_ABSOLUTE = 0.05;

  private final Duration minInterval;
  private LinkQuality reported;
  private Instant reportedAt;

  ChangeFilter(Duration minInterval) {
    this.minInterval = Objects.requireNonNull(minInterval, "minInterval");
  }

  /** Whether {@code now} is to be reported; if so, it becomes the reference for the next call. */
  boolean offer(LinkQuality now) {
    if (shouldReport(now)) {
      reported = now;
      reportedAt = now.measuredAt();
      return true;
    }
    return false;
  }

  private boolean shouldReport(LinkQuality now) {
    if (reported == null) {
      return now.isMeasured();
    }
    if (now.path() != reported.path()) {
      return true;
    }
    if (now.measuredAt().isBefore(reportedAt.plus(minInterval))) {
      return false;
    }
    return moved(reported.rttMs(), now.rttMs(), RTT_ABSOLUTE_MS, RTT_RELATIVE)
        || moved(reported.jitterMs(), now.jitterMs(), JITTER_ABSOLUTE_MS, JITTER_RELATIVE)
        || Math.abs(now.loss() - reported.loss()) >= LOSS_ABSOLUTE;
  }

  /** A figure appearing or vanishing is a change; otherwise both thresholds must be passed. */
  static boolean moved(Double before, Double after, double absolute, double relative) {
    if (before == null || after == null) {
      return before != after;
    }
    double difference = Math.abs(after - before);
    return difference >= absolute && difference >= relative * before;
  }
}
