package io.partynet.core.internal.quality;

import io.partynet.PartyConfig;
import io.partynet.spi.SettingKey;
import java.time.Duration;
import java.util.Objects;

/**
 * How link quality is measured (docs/configuration.md). Immutable and thread-safe.
 *
 * @param probeInterval one probe to every member this often
 * @param probeTimeout a probe unanswered for this long counts as lost
 * @param window how many decided probes the figures are smoothed over
 * @param eventInterval at most one {@code onLinkQuality} per member this often (path changes excepted)
 */
public record QualitySettings(Duration probeInterval, Duration probeTimeout, int window, Duration eventInterval) {
  public static final SettingKey<Duration> PROBE_INTERVAL =
      SettingKey.ofDuration("link.probe-interval", Duration.ofMillis(500));
  public static final SettingKey<Duration> PROBE_TIMEOUT = SettingKey.ofDuration("link.probe-timeout",
      Duration.ofSeconds(2));
  public static final SettingKey<Integer> WINDOW = SettingKey.ofInt("link.quality-window", 20, 2, 1000);
  public static final SettingKey<Duration> EVENT_INTERVAL = SettingKey.ofDuration("link.event-interval",
      Duration.ofSeconds(2));
  private static final Duration MIN_PROBE_INTERVAL = Duration.ofMillis(20);

  public QualitySettings {
    Objects.requireNonNull(probeInterval, "probeInterval");
    Objects.requireNonNull(probeTimeout, "probeTimeout");
    Objects.requireNonNull(eventInterval, "eventInterval");
    if (probeInterval.compareTo(MIN_PROBE_INTERVAL) < 0) {
      throw new IllegalArgumentException("link.probe-interval must be at least " + MIN_PROBE_INTERVAL.toMillis()
          + " ms: " + probeInterval.toMillis() + " ms");
    }
    if (probeTimeout.isNegative() || probeTimeout.isZero()) {
      throw new IllegalArgumentException("link.probe-timeout must be positive");
    }
    if (window < 2) {
      throw new IllegalArgumentException("link.quality-window must be at least 2: " + window);
    }
    if (eventInterval.isNegative()) {
      throw new IllegalArgumentException("link.event-interval must not be negative");
    }
  }

  public static QualitySettings from(PartyConfig config) {
    return new QualitySettings(PROBE_INTERVAL.from(config), PROBE_TIMEOUT.from(config), WINDOW.from(config),
        EVENT_INTERVAL.from(config));
  }
}
