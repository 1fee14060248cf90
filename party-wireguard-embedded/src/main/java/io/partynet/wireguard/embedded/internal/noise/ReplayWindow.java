package io.partynet.wireguard.embedded.internal.noise;

/**
 * The sliding anti-replay window of RFC 6479 (as in the Linux WireGuard module): a ring of 32
 * 64-bit words (2048 bits); counters more than {@link #WINDOW_SIZE} behind the highest one seen
 * are refused, as are duplicates and counters at or past {@code REJECT_AFTER_MESSAGES}.
 *
 * <p>Not thread-safe: it belongs to one keypair and is used by the receive thread only.
 */
public final class ReplayWindow {
  private static final int WORDS = 32;
  private static final int BITS_TOTAL = WORDS * 64;
  public static final int WINDOW_SIZE = BITS_TOTAL - 64;

  private final long[] bitmap = new long[WORDS];
  private long highest;
  private boolean any;

  /** True when {@code counter} would be accepted now; changes nothing (a cheap check before decrypting). */
  public boolean mayAccept(long counter) {
    if (Long.compareUnsigned(counter, Timing.REJECT_AFTER_MESSAGES) >= 0) {
      return false;
    }
    if (!any || Long.compareUnsigned(counter, highest) > 0) {
      return true;
    }
    if (Long.compareUnsigned(highest - counter, WINDOW_SIZE) >= 0) {
      return false;
    }
    return (bitmap[(int) ((counter >>> 6) & (WORDS - 1))] & (1L << (counter & 63))) == 0;
  }

  /** Accepts {@code counter} after its packet authenticated; false for a replay or a too-old counter. */
  public boolean accept(long counter) {
    if (!mayAccept(counter)) {
      return false;
    }
    long index = counter >>> 6;
    if (!any) {
      any = true;
      highest = counter;
    } else if (Long.compareUnsigned(counter, highest) > 0) {
      long current = highest >>> 6;
      long advance = Math.min(index - current, WORDS);
      for (long i = 1; i <= advance; i++) {
        bitmap[(int) ((current + i) & (WORDS - 1))] = 0;
      }
      highest = counter;
    }
    bitmap[(int) (index & (WORDS - 1))] |= 1L << (counter & 63);
    return true;
  }
}
