package io.partynet.core.internal.keys;

import io.partynet.Key;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.XECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/**
 * Curve25519 key operations for WireGuard, done by the JDK's X25519 provider: generating a
 * private key as {@code wg genkey} does (random, then clamped) and deriving the public key as
 * {@code wg pubkey} does. Keys are 32 bytes, little-endian, as RFC 7748 encodes them.
 *
 * <p>Thread-safe: stateless.
 */
public final class WireGuardKeys {
  private static final String ALGORITHM = "X25519";
  /** The u-coordinate of Curve25519's base point (RFC 7748, section 4.1). */
  private static final BigInteger BASE_POINT_U = BigInteger.valueOf(9);

  private WireGuardKeys() {}

  /** A new random private key, clamped. */
  public static Key generatePrivateKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
      XECPrivateKey key = (XECPrivateKey) generator.generateKeyPair().getPrivate();
      byte[] scalar = key.getScalar().orElseThrow(
          () -> new IllegalStateException("the JDK's X25519 private key does not expose its scalar"));
      try {
        return Key.fromBytes(clamp(scalar));
      } finally {
        Arrays.fill(scalar, (byte) 0);
      }
    } catch (GeneralSecurityException e) {
      throw missingX25519(e);
    }
  }

  /** A new key pair. */
  public static WireGuardKeyPair generateKeyPair() {
    Key privateKey = generatePrivateKey();
    return new WireGuardKeyPair(privateKey, publicKey(privateKey));
  }

  /** The public key of {@code privateKey}: X25519 of the (clamped) scalar with the base point. */
  public static Key publicKey(Key privateKey) {
    byte[] scalar = privateKey.toBytes();
    try {
      KeyFactory factory = KeyFactory.getInstance(ALGORITHM);
      PrivateKey jdkPrivate = factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
      PublicKey basePoint = factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, BASE_POINT_U));
      KeyAgreement agreement = KeyAgreement.getInstance(ALGORITHM);
      agreement.init(jdkPrivate);
      agreement.doPhase(basePoint, true);
      return Key.fromBytes(agreement.generateSecret());
    } catch (GeneralSecurityException e) {
      throw missingX25519(e);
    } finally {
      Arrays.fill(scalar, (byte) 0);
    }
  }

  /**
   * Clamps a Curve25519 scalar in place (RFC 7748, section 5, decodeScalar25519): clear the three
   * low bits and the top bit, set the second-highest bit. Returns {@code scalar}.
   */
  static byte[] clamp(byte[] scalar) {
    scalar[0] &= (byte) 248;
    scalar[31] &= (byte) 127;
    scalar[31] |= (byte) 64;
    return scalar;
  }

  private static IllegalStateException missingX25519(GeneralSecurityException e) {
    return new IllegalStateException("this JDK cannot do X25519 (needs Java 11 or later with the SunEC provider)", e);
  }
}
