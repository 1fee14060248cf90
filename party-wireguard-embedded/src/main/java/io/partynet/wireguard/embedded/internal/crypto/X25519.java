package io.partynet.wireguard.embedded.internal.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * Curve25519 Diffie-Hellman (RFC 7748) on raw 32-byte little-endian keys, done by the JDK's
 * {@code XDH} provider.
 *
 * <p>Stateless and thread-safe.
 */
public final class X25519 {
  public static final int KEY_LENGTH = 32;
  private static final byte[] BASE_POINT = new byte[KEY_LENGTH];

  static {
    BASE_POINT[0] = 9;
  }

  private X25519() {}

  /** A fresh clamped private key. */
  public static byte[] generatePrivateKey(SecureRandom random) {
    byte[] key = new byte[KEY_LENGTH];
    random.nextBytes(key);
    key[0] &= (byte) 248;
    key[31] &= 127;
    key[31] |= 64;
    return key;
  }

  /** {@code X25519(privateKey, 9)}. */
  public static byte[] publicKey(byte[] privateKey) {
    try {
      return sharedSecret(privateKey, BASE_POINT);
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("the base point cannot give a low-order result", e);
    }
  }

  /**
   * {@code X25519(privateKey, publicKey)}.
   *
   * @throws InvalidKeyException when the public key is malformed or of low order (all-zero result)
   */
  public static byte[] sharedSecret(byte[] privateKey, byte[] publicKey) throws InvalidKeyException {
    if (privateKey.length != KEY_LENGTH || publicKey.length != KEY_LENGTH) {
      throw new InvalidKeyException("X25519 keys are 32 bytes");
    }
    try {
      KeyFactory factory = KeyFactory.getInstance("XDH");
      PrivateKey priv = factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, privateKey));
      PublicKey pub = factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, toU(publicKey)));
      KeyAgreement agreement = KeyAgreement.getInstance("X25519");
      agreement.init(priv);
      agreement.doPhase(pub, true);
      byte[] secret = agreement.generateSecret();
      int acc = 0;
      for (byte b : secret) {
        acc |= b;
      }
      if (acc == 0) {
        throw new InvalidKeyException("X25519 produced the all-zero secret (low-order public key)");
      }
      return secret;
    } catch (InvalidKeyException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new InvalidKeyException("X25519 refused the key: " + e.getMessage(), e);
    }
  }

  /** The little-endian u-coordinate with its top bit masked, as RFC 7748 section 5 decodes it. */
  private static BigInteger toU(byte[] littleEndian) {
    byte[] bigEndian = new byte[KEY_LENGTH];
    for (int i = 0; i < KEY_LENGTH; i++) {
      bigEndian[i] = littleEndian[KEY_LENGTH - 1 - i];
    }
    bigEndian[0] &= 127;
    return new BigInteger(1, bigEndian);
  }
}
