package io.partynet;

import java.time.Instant;
import java.util.Objects;

/**
 * How well the tunnel to one member carries traffic, measured by small probes sent through it a
 * few times a second (setting {@code link.probe-interval}) and smoothed over the last
 * {@code link.quality-window} probes. What a launcher draws as the ping bar next to a friend.
 *
 * <p>Immutable and thread-safe.
 *
 * @param rttMs smoothed round-trip time through the tunnel, in milliseconds (the mean of the
 *     answered probes in the window); null while no probe was answered
 * @param jitterMs variation of the round-trip time, in milliseconds: the mean absolute difference
 *     between consecutive answered probes' round trips (RFC 3550's inter-arrival jitter, averaged
 *     over the window instead of exponentially); null with fewer than two answers
 * @param loss fraction of the window's decided probes that got no answer within the probe timeout,
 *     0.0 to 1.0 (0.05 is 5 %); probes still in flight are not counted
 * @param samples how many decided probes (answered or lost) the figures are based on; 0 means
 *     nothing is measured yet
 * @param path how traffic to the member travels when this was measured
 * @param measuredAt when these figures were computed
 */
public record LinkQuality(Double rttMs, Double jitterMs, double loss, int samples, ConnectionType path,
    Instant measuredAt) {

  /**
   * Checks every part.
   *
   * @param rttMs smoothed round-trip time in milliseconds, or null
   * @param jitterMs jitter in milliseconds, or null
   * @param loss lost fraction, 0.0 to 1.0
   * @param samples decided probes in the window, at least 0
   * @param path how traffic travels
   * @param measuredAt when measured
   * @throws IllegalArgumentException when a figure is negative, not finite, or loss exceeds 1
   */
  public LinkQuality {
    requireMillis(rttMs, "rttMs");
    requireMillis(jitterMs, "jitterMs");
    if (!(loss >= 0 && loss <= 1)) {
      throw new IllegalArgumentException("loss must be between 0 and 1: " + loss);
    }
    if (samples < 0) {
      throw new IllegalArgumentException("samples must not be negative: " + samples);
    }
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(measuredAt, "measuredAt");
  }

  /**
   * A link on which nothing is measured yet.
   *
   * @param path how traffic travels
   * @param now the time of the reading
   * @return no round trip, no jitter, no loss, no samples
   */
  public static LinkQuality unmeasured(ConnectionType path, Instant now) {
    return new LinkQuality(null, null, 0, 0, path, now);
  }

  /**
   * Whether anything was measured.
   *
   * @return true once at least one probe was answered or lost
   */
  public boolean isMeasured() {
    return samples > 0;
  }

  /**
   * The loss as a percentage, for display.
   *
   * @return {@code loss * 100}
   */
  public double lossPercent() {
    return loss * 100;
  }

  private static void requireMillis(Double value, String name) {
    if (value != null && (!Double.isFinite(value) || value < 0)) {
      throw new IllegalArgumentException(name + " must be a finite non-negative number: " + value);
    }
  }
}
