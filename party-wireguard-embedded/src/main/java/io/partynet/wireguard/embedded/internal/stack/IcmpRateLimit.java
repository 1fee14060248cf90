package io.partynet.wireguard.embedded.internal.stack;

/**
 * A token bucket for the ICMP errors the stack sends (RFC 1812 section 4.3.2.8 asks for a rate
 * limit): at most {@code perSecond} per second, with bursts up to that many. Not thread-safe.
 */
final class IcmpRateLimit {
  private final int perSecond;
  private double tokens;
  private long lastNanos;

  IcmpRateLimit(int perSecond, long nowNanos) {
    this.perSecond = perSecond;
    this.tokens = perSecond;
    this.lastNanos = nowNanos;
  }

  boolean tryAcquire(long nowNanos) {
    tokens = Math.min(perSecond, tokens + (nowNanos - lastNanos) * perSecond / 1e9);
    lastNanos = nowNanos;
    if (tokens < 1) {
      return false;
    }
    tokens--;
    return true;
  }
}
