package io.partynet.protocol.internal;

import io.partynet.Key;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/**
 * X25519 (RFC 7748) on WireGuard's 32-byte keys, by the JDK's provider: the function behind
 * {@link KeyProof}. Stateless and thread-safe.
 */
public final class X25519 {
  private static final String ALGORITHM = "X25519";
  private static final Key BASE_POINT = Key.fromBytes(basePoint());

  private X25519() {}

  /** The public key of a private key (X25519 with the base point u = 9). */
  public static Key publicKey(Key privateKey) {
    return Key.fromBytes(sharedSecret(privateKey, BASE_POINT));
  }

  /**
   * The shared secret of {@code privateKey} and {@code publicKey}: the same 32 bytes for (a, B)
   * and (b, A). Fails with {@link IllegalArgumentException} for a public key of small order,
   * whose secret would be all zeros and prove nothing.
   */
  public static byte[] sharedSecret(Key privateKey, Key publicKey) {
    byte[] scalar = privateKey.toBytes();
    byte[] u = publicKey.toBytes();
    try {
      KeyFactory factory = KeyFactory.getInstance(ALGORITHM);
      PrivateKey jdkPrivate = factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
      u[31] &= (byte) 127; // RFC 7748: u is little-endian and its top bit is ignored
      byte[] bigEndian = new byte[u.length];
      for (int i = 0; i < u.length; i++) {
        bigEndian[i] = u[u.length - 1 - i];
      }
      PublicKey jdkPublic = factory.generatePublic(
          new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, bigEndian)));
      KeyAgreement agreement = KeyAgreement.getInstance(ALGORITHM);
      agreement.init(jdkPrivate);
      agreement.doPhase(jdkPublic, true);
      byte[] secret = agreement.generateSecret();
      int any = 0;
      for (byte b : secret) {
        any |= b;
      }
      if (any == 0) {
        throw new IllegalArgumentException("the public key is of small order");
      }
      return secret;
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("the public key is not usable for X25519: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot do X25519 (needs Java 11 or later with SunEC)", e);
    } finally {
      Arrays.fill(scalar, (byte) 0);
    }
  }

  private static byte[] basePoint() {
    byte[] u = new byte[32];
    u[0] = 9;
    return u;
  }
}
