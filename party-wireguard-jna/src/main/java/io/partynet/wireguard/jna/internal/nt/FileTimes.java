package io.partynet.wireguard.jna.internal.nt;

import java.time.Instant;
import java.util.Optional;

/** Windows FILETIME (100 ns ticks since 1601-01-01 UTC) to {@link Instant}; stateless. */
final class FileTimes {
  /** Ticks from 1601-01-01 to 1970-01-01: 11644473600 s (369 years with 89 leap days). */
  static final long UNIX_EPOCH_TICKS = 116_444_736_000_000_000L;

  private static final long TICKS_PER_SECOND = 10_000_000L;

  private FileTimes() {}

  /** Empty for 0, which wireguard-nt reports for "no handshake yet". */
  static Optional<Instant> toInstant(long fileTime) {
    if (fileTime == 0) {
      return Optional.empty();
    }
    long sinceUnix = fileTime - UNIX_EPOCH_TICKS;
    return Optional.of(Instant.ofEpochSecond(
        Math.floorDiv(sinceUnix, TICKS_PER_SECOND), Math.floorMod(sinceUnix, TICKS_PER_SECOND) * 100));
  }
}
