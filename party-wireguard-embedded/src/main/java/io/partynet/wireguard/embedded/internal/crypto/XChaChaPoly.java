package io.partynet.wireguard.embedded.internal.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AEAD_XChaCha20_Poly1305 (draft-irtf-cfrg-xchacha-03 section 2.3), used by WireGuard's cookie
 * reply. Neither the JDK nor BouncyCastle 1.78 ship it, so it is composed from JDK primitives:
 * HChaCha20 is obtained from one block of the JDK's ChaCha20 keystream (a ChaCha20 block is the
 * permuted state plus the input state, so subtracting the known input words 0-3 and 12-15 gives
 * exactly HChaCha20's output), then the JDK's ChaCha20-Poly1305 runs with the subkey.
 *
 * <p>Stateless and thread-safe (the cookie path is rare: it allocates freely).
 */
public final class XChaChaPoly {
  public static final int NONCE_LENGTH = 24;
  private static final int[] SIGMA = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};

  private XChaChaPoly() {}

  /** HChaCha20(key, nonce16) as defined in draft-irtf-cfrg-xchacha-03 section 2.2. */
  public static byte[] hChaCha20(byte[] key, byte[] nonce16) {
    if (key.length != 32 || nonce16.length != 16) {
      throw new IllegalArgumentException("HChaCha20 takes a 32-byte key and a 16-byte nonce");
    }
    byte[] block;
    try {
      Cipher chacha = Cipher.getInstance("ChaCha20");
      byte[] nonce12 = new byte[12];
      System.arraycopy(nonce16, 4, nonce12, 0, 12);
      chacha.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"),
          new ChaCha20ParameterSpec(nonce12, readLe(nonce16, 0)));
      block = chacha.doFinal(new byte[64]);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's ChaCha20 is unavailable: " + e.getMessage(), e);
    }
    byte[] out = new byte[32];
    for (int i = 0; i < 4; i++) {
      writeLe(out, 4 * i, readLe(block, 4 * i) - SIGMA[i]);
      writeLe(out, 16 + 4 * i, readLe(block, 48 + 4 * i) - readLe(nonce16, 4 * i));
    }
    return out;
  }

  public static byte[] seal(byte[] key, byte[] nonce24, byte[] aad, byte[] plaintext) {
    byte[] out = new byte[plaintext.length + ChaChaPoly.TAG_LENGTH];
    new ChaChaPoly().sealWithNonce(subkey(key, nonce24), innerNonce(nonce24), aad, plaintext, 0, plaintext.length,
        out, 0);
    return out;
  }

  public static byte[] open(byte[] key, byte[] nonce24, byte[] aad, byte[] ciphertext) throws AEADBadTagException {
    if (ciphertext.length < ChaChaPoly.TAG_LENGTH) {
      throw new AEADBadTagException("ciphertext shorter than the tag");
    }
    byte[] out = new byte[ciphertext.length - ChaChaPoly.TAG_LENGTH];
    new ChaChaPoly().openWithNonce(subkey(key, nonce24), innerNonce(nonce24), aad, ciphertext, ciphertext.length,
        out, 0);
    return out;
  }

  private static SecretKeySpec subkey(byte[] key, byte[] nonce24) {
    if (nonce24.length != NONCE_LENGTH) {
      throw new IllegalArgumentException("XChaCha20 nonces are 24 bytes");
    }
    byte[] first16 = new byte[16];
    System.arraycopy(nonce24, 0, first16, 0, 16);
    return ChaChaPoly.key(hChaCha20(key, first16));
  }

  private static byte[] innerNonce(byte[] nonce24) {
    byte[] nonce = new byte[12];
    System.arraycopy(nonce24, 16, nonce, 4, 8);
    return nonce;
  }

  private static int readLe(byte[] b, int off) {
    return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
  }

  private static void writeLe(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
    b[off + 2] = (byte) (v >>> 16);
    b[off + 3] = (byte) (v >>> 24);
  }
}
