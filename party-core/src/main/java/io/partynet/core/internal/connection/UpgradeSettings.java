package io.partynet.core.internal.connection;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing of the move from the relay to a direct path ({@link PathUpgrade}).
 *
 * @param firstTry how long a link stays on the relay before the first direct check (and after a
 *     fall back from a direct path)
 * @param maxInterval the cap of the interval between checks, which doubles after each failed one
 * @param checkWindow how long one check may take to see the peer's packets arrive directly; traffic
 *     between the two members may be lost for at most this long when the direct path does not work
 * @param fallbackSilence an upgraded link that receives nothing for this long goes back to the relay
 *     (the link-quality probes answer every half second on a healthy link, so a few of them)
 *
 * <p>Immutable and thread-safe.
 */
public record UpgradeSettings(Duration firstTry, Duration maxInterval, Duration checkWindow, Duration fallbackSilence) {
  public UpgradeSettings {
    for (Duration d : new Duration[] {firstTry, maxInterval, checkWindow, fallbackSilence}) {
      if (Objects.requireNonNull(d, "durations").isNegative() || d.isZero()) {
        throw new IllegalArgumentException("upgrade durations must be positive: " + d);
      }
    }
    if (maxInterval.compareTo(firstTry) < 0) {
      throw new IllegalArgumentException("maxInterval " + maxInterval + " is shorter than firstTry " + firstTry);
    }
  }

  /** A first check 5 s after the relay came up, then every 10, 20, 40, 60, 60... s; 4 s per check. */
  public static UpgradeSettings defaults() {
    return new UpgradeSettings(Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(4),
        Duration.ofSeconds(5));
  }

  /** The wait before check number {@code failedChecks + 1}. */
  Duration interval(int failedChecks) {
    Duration d = firstTry;
    for (int i = 0; i < failedChecks && d.compareTo(maxInterval) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(maxInterval) > 0 ? maxInterval : d;
  }
}
