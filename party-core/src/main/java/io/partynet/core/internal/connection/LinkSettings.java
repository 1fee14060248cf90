package io.partynet.core.internal.connection;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing of link monitoring.
 *
 * @param connectTimeout how long one path may take to produce a handshake before the next is tried
 *     (WireGuard retries a handshake every 5 s, so two tries by default)
 * @param silenceTimeout a link with no received bytes for this long is down (the persistent
 *     keepalive guarantees traffic on a healthy link, so a few keepalive intervals)
 *
 * <p>Immutable and thread-safe.
 */
public record LinkSettings(Duration connectTimeout, Duration silenceTimeout) {
  /** WireGuard discards a session this long after its handshake (REJECT_AFTER_TIME). */
  public static final Duration REJECT_AFTER_TIME = Duration.ofSeconds(180);

  public LinkSettings {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(silenceTimeout, "silenceTimeout");
  }

  public static LinkSettings defaults() {
    return new LinkSettings(Duration.ofSeconds(11), Duration.ofSeconds(20));
  }
}
