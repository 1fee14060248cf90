package io.partynet.wireguard.embedded.internal.noise;

import java.time.Instant;

/**
 * TAI64N timestamps as carried in handshake initiations: 8 bytes big-endian seconds with the
 * TAI64 offset {@code 2^62 + 10}, then 4 bytes big-endian nanoseconds. Like wireguard-go the
 * nanoseconds are rounded down to a multiple of 2^24 so the timestamp does not leak a precise clock.
 *
 * <p>Stateless and thread-safe.
 */
public final class Tai64n {
  public static final int LENGTH = 12;
  private static final long BASE = (1L << 62) + 10;
  private static final int WHITENER_MASK = (1 << 24) - 1;

  private Tai64n() {}

  public static byte[] of(Instant instant) {
    byte[] out = new byte[LENGTH];
    long seconds = BASE + instant.getEpochSecond();
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (seconds >>> (56 - 8 * i));
    }
    int nanos = instant.getNano() & ~WHITENER_MASK;
    for (int i = 0; i < 4; i++) {
      out[8 + i] = (byte) (nanos >>> (24 - 8 * i));
    }
    return out;
  }

  /** True when {@code a} is strictly later than {@code b} (a null {@code b} is the beginning of time). */
  public static boolean isAfter(byte[] a, byte[] b) {
    if (b == null) {
      return true;
    }
    for (int i = 0; i < LENGTH; i++) {
      int x = a[i] & 0xff;
      int y = b[i] & 0xff;
      if (x != y) {
        return x > y;
      }
    }
    return false;
  }
}
