package io.partynet.wireguard.embedded.internal.crypto;

import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * BLAKE2s as WireGuard uses it: {@code HASH} (BLAKE2s-256), {@code MAC} (keyed BLAKE2s-128) and
 * {@code HMAC} (RFC 2104 over BLAKE2s-256, the building block of the handshake's KDF). All from
 * BouncyCastle's {@link Blake2sDigest}.
 *
 * <p>Stateless and thread-safe.
 */
public final class Blake2s {
  public static final int HASH_LENGTH = 32;
  public static final int MAC_LENGTH = 16;

  private Blake2s() {}

  /** BLAKE2s-256 of the concatenation of {@code parts}. */
  public static byte[] hash(byte[]... parts) {
    Blake2sDigest digest = new Blake2sDigest(256);
    for (byte[] part : parts) {
      digest.update(part, 0, part.length);
    }
    byte[] out = new byte[HASH_LENGTH];
    digest.doFinal(out, 0);
    return out;
  }

  /** Keyed BLAKE2s with a {@code outLength}-byte digest (RFC 7693 section 2.5 keyed hashing). */
  public static byte[] keyedHash(byte[] key, int outLength, byte[] data, int offset, int length) {
    Blake2sDigest digest = key.length == 0
        ? new Blake2sDigest(outLength * 8)
        : new Blake2sDigest(key, outLength, null, null);
    digest.update(data, offset, length);
    byte[] out = new byte[outLength];
    digest.doFinal(out, 0);
    return out;
  }

  /** WireGuard's {@code MAC(key, input)}: keyed BLAKE2s-128. */
  public static byte[] mac(byte[] key, byte[] data, int offset, int length) {
    return keyedHash(key, MAC_LENGTH, data, offset, length);
  }

  /** WireGuard's {@code HMAC(key, input)}: HMAC with BLAKE2s-256 as the hash. */
  public static byte[] hmac(byte[] key, byte[]... parts) {
    HMac mac = new HMac(new Blake2sDigest(256));
    mac.init(new KeyParameter(key));
    for (byte[] part : parts) {
      mac.update(part, 0, part.length);
    }
    byte[] out = new byte[HASH_LENGTH];
    mac.doFinal(out, 0);
    return out;
  }
}
