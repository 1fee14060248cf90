package io.partynet.wireguard.embedded.internal.stack.tcp;

import java.security.SecureRandom;

/**
 * Initial sequence numbers per RFC 6528: a 4-microsecond clock plus a keyed hash of the
 * connection's identity, so off-path attackers cannot predict them. The hash is SipHash-2-4
 * (Aumasson and Bernstein) of one 64-bit word under a random 128-bit key. Thread-safe.
 */
final class IsnGenerator {
  private final long k0;
  private final long k1;

  IsnGenerator(SecureRandom random) {
    this.k0 = random.nextLong();
    this.k1 = random.nextLong();
  }

  int next(long connectionKey, long nowNanos) {
    return (int) (nowNanos / 4000L) + (int) sipHash(connectionKey);
  }

  /** SipHash-2-4 of the 8-byte little-endian message {@code m}. */
  long sipHash(long m) {
    long v0 = k0 ^ 0x736f6d6570736575L;
    long v1 = k1 ^ 0x646f72616e646f6dL;
    long v2 = k0 ^ 0x6c7967656e657261L;
    long v3 = k1 ^ 0x7465646279746573L;
    long[] v = {v0, v1, v2, v3};
    v[3] ^= m;
    round(v);
    round(v);
    v[0] ^= m;
    long last = 8L << 56;
    v[3] ^= last;
    round(v);
    round(v);
    v[0] ^= last;
    v[2] ^= 0xff;
    for (int i = 0; i < 4; i++) {
      round(v);
    }
    return v[0] ^ v[1] ^ v[2] ^ v[3];
  }

  private static void round(long[] v) {
    v[0] += v[1];
    v[1] = Long.rotateLeft(v[1], 13);
    v[1] ^= v[0];
    v[0] = Long.rotateLeft(v[0], 32);
    v[2] += v[3];
    v[3] = Long.rotateLeft(v[3], 16);
    v[3] ^= v[2];
    v[0] += v[3];
    v[3] = Long.rotateLeft(v[3], 21);
    v[3] ^= v[0];
    v[2] += v[1];
    v[1] = Long.rotateLeft(v[1], 17);
    v[1] ^= v[2];
    v[2] = Long.rotateLeft(v[2], 32);
  }
}
