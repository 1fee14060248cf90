package io.partynet.wireguard.embedded.internal.noise;

/**
 * WireGuard's protocol constants (WireGuard paper section 6.1; wireguard-go
 * {@code device/constants.go}), in nanoseconds where they are times.
 *
 * <p>Constants only; thread-safe.
 */
public final class Timing {
  public static final long REKEY_AFTER_MESSAGES = 1L << 60;
  /** {@code 2^64 - 2^13 - 1}, compared unsigned. */
  public static final long REJECT_AFTER_MESSAGES = -(1L << 13) - 1;
  public static final long REKEY_AFTER_TIME = 120_000_000_000L;
  public static final long REJECT_AFTER_TIME = 180_000_000_000L;
  public static final long REKEY_ATTEMPT_TIME = 90_000_000_000L;
  public static final long REKEY_TIMEOUT = 5_000_000_000L;
  public static final long KEEPALIVE_TIMEOUT = 10_000_000_000L;
  public static final long COOKIE_REFRESH_TIME = 120_000_000_000L;
  public static final long HANDSHAKE_INITIATION_RATE = 20_000_000L;
  public static final int MAX_TIMER_HANDSHAKES = (int) (REKEY_ATTEMPT_TIME / REKEY_TIMEOUT);
  /** Upper bound of the random extra delay added to handshake retries (wireguard-go: 334 ms). */
  public static final long REKEY_TIMEOUT_JITTER_MAX = 334_000_000L;

  private Timing() {}
}
