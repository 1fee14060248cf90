package io.partynet.wireguard.embedded.internal.crypto;

/**
 * The HKDF of the WireGuard paper (section 5.4): {@code T0 = HMAC(key, input)},
 * {@code T1 = HMAC(T0, 0x1)}, {@code Ti = HMAC(T0, T(i-1) || i)}.
 *
 * <p>Stateless and thread-safe.
 */
public final class Kdf {
  private Kdf() {}

  /** Returns {@code count} (1..3) derived 32-byte keys. */
  public static byte[][] derive(int count, byte[] chainingKey, byte[] input) {
    if (count < 1 || count > 3) {
      throw new IllegalArgumentException("KDF yields 1..3 keys: " + count);
    }
    byte[] prk = Blake2s.hmac(chainingKey, input);
    byte[][] out = new byte[count][];
    byte[] previous = new byte[0];
    for (int i = 0; i < count; i++) {
      previous = Blake2s.hmac(prk, previous, new byte[] {(byte) (i + 1)});
      out[i] = previous;
    }
    return out;
  }
}
