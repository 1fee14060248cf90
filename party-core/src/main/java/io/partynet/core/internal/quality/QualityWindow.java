package io.partynet.core.internal.quality;

import io.partynet.ConnectionType;
import io.partynet.LinkQuality;
import java.time.Instant;

/**
 * The last {@code capacity} decided probes to one member, each answered (with its round trip) or
 * lost, and the figures drawn from them: the mean round trip, the mean absolute difference of
 * consecutive round trips (jitter) and the lost fraction. A probe still in flight is not in the
 * window; it enters when answered or when its timeout declares it lost.
 *
 * <p>Not thread-safe: the monitor guards it.
 */
final class QualityWindow {
  /** Marks a lost probe in {@link #rtts}. */
  private static final double LOST = Double.NaN;

  private final double[] rtts;
  private int next;
  private int size;

  QualityWindow(int capacity) {
    if (capacity < 2) {
      throw new IllegalArgumentException("a window holds at least 2 probes: " + capacity);
    }
    this.rtts = new double[capacity];
  }

  /** A probe was answered after {@code rttMs} milliseconds. */
  void answered(double rttMs) {
    if (!Double.isFinite(rttMs) || rttMs < 0) {
      throw new IllegalArgumentException("round trip must be finite and non-negative: " + rttMs);
    }
    add(rttMs);
  }

  /** A probe got no answer in time. */
  void lost() {
    add(LOST);
  }

  int size() {
    return size;
  }

  /** The figures of the window as of {@code now}, on {@code path}. */
  LinkQuality quality(ConnectionType path, Instant now) {
    if (size == 0) {
      return LinkQuality.unmeasured(path, now);
    }
    int answered = 0;
    double sum = 0;
    double previous = LOST;
    double variation = 0;
    int differences = 0;
    for (int i = 0; i < size; i++) {
      double rtt = rtts[(next - size + i + rtts.length) % rtts.length];
      if (Double.isNaN(rtt)) {
        continue;
      }
      answered++;
      sum += rtt;
      if (!Double.isNaN(previous)) {
        variation += Math.abs(rtt - previous);
        differences++;
      }
      previous = rtt;
    }
    Double rttMs = answered == 0 ? null : sum / answered;
    Double jitterMs = differences == 0 ? null : variation / differences;
    double loss = (double) (size - answered) / size;
    return new LinkQuality(rttMs, jitterMs, loss, size, path, now);
  }

  private void add(double rtt) {
    rtts[next] = rtt;
    next = (next + 1) % rtts.length;
    size = Math.min(size + 1, rtts.length);
  }
}
