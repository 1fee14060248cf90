package io.partynet.wireguard.jna.internal.qemu;

import io.partynet.Key;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.Random;

/** WireGuard key pairs made with the JDK's X25519, and throwaway keys. Thread-safe. */
final class KeyPairs {

  /** A private key in WireGuard's clamped form and the public key that belongs to it. */
  record Pair(Key privateKey, Key publicKey) {}

  private KeyPairs() {}

  static Pair generate() {
    try {
      var pair = KeyPairGenerator.getInstance("X25519").generateKeyPair();
      byte[] scalar = ((XECPrivateKey) pair.getPrivate()).getScalar()
          .orElseThrow(() -> new IllegalStateException("the JDK did not expose the X25519 scalar"));
      // The kernel stores (and reports) the clamped scalar, as `wg genkey` writes it;
      // clamping does not change the public key because X25519 clamps before multiplying.
      scalar[0] &= (byte) 248;
      scalar[31] &= 127;
      scalar[31] |= 64;
      return new Pair(Key.fromBytes(scalar), Key.fromBytes(littleEndian(((XECPublicKey) pair.getPublic()).getU())));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Java 17 always provides X25519", e);
    }
  }

  /** 32 random bytes: good enough for a peer that never completes a handshake, or a preshared key. */
  static Key random(Random random) {
    byte[] bytes = new byte[Key.LENGTH];
    random.nextBytes(bytes);
    return Key.fromBytes(bytes);
  }

  private static byte[] littleEndian(BigInteger u) {
    byte[] bigEndian = u.toByteArray();
    byte[] out = new byte[Key.LENGTH];
    for (int i = 0; i < Math.min(bigEndian.length, Key.LENGTH); i++) {
      out[i] = bigEndian[bigEndian.length - 1 - i];
    }
    return out;
  }
}
