package io.partynet.wireguard.jna.internal.lab;

import io.partynet.Key;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;

/** X25519 key pairs for tests, from the JDK, in WireGuard's encoding. Immutable and thread-safe. */
public record X25519Keys(Key privateKey, Key publicKey) {

  public static X25519Keys generate() {
    try {
      KeyPair pair = KeyPairGenerator.getInstance("X25519").generateKeyPair();
      byte[] scalar = ((XECPrivateKey) pair.getPrivate()).getScalar().orElseThrow();
      return new X25519Keys(Key.fromBytes(scalar), Key.fromBytes(littleEndian(((XECPublicKey) pair.getPublic()).getU())));
    } catch (GeneralSecurityException e) {
      throw new AssertionError("the JDK has X25519 since 11", e);
    }
  }

  private static byte[] littleEndian(BigInteger u) {
    byte[] big = u.toByteArray();
    byte[] out = new byte[Key.LENGTH];
    for (int i = 0; i < Key.LENGTH && i < big.length; i++) {
      out[i] = big[big.length - 1 - i];
    }
    return out;
  }
}
