package io.partynet.wireguard.embedded.internal.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AEAD_CHACHA20_POLY1305 (RFC 8439) from the JDK, with WireGuard's nonce: 32 zero bits followed by
 * a 64-bit little-endian counter. Works on caller-owned arrays so the data path can reuse buffers.
 *
 * <p>Not thread-safe: one instance per thread (it keeps its {@link Cipher} and nonce scratch).
 */
public final class ChaChaPoly {
  public static final int TAG_LENGTH = 16;
  public static final int KEY_LENGTH = 32;
  public static final int NONCE_LENGTH = 12;

  private final Cipher cipher;
  private final byte[] nonce = new byte[NONCE_LENGTH];

  public ChaChaPoly() {
    try {
      cipher = Cipher.getInstance("ChaCha20-Poly1305");
    } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
      throw new IllegalStateException("this JDK lacks ChaCha20-Poly1305 (Java 11+ has it)", e);
    }
  }

  /** A key object the JDK accepts; make it once per session key. */
  public static SecretKeySpec key(byte[] raw) {
    if (raw.length != KEY_LENGTH) {
      throw new IllegalArgumentException("ChaCha20-Poly1305 keys are 32 bytes");
    }
    return new SecretKeySpec(raw, "ChaCha20");
  }

  /** Encrypts {@code len} bytes; writes ciphertext and tag to {@code out}; returns the bytes written. */
  public int seal(SecretKeySpec key, long counter, byte[] aad, byte[] in, int inOff, int len, byte[] out, int outOff) {
    try {
      init(Cipher.ENCRYPT_MODE, key, counter);
      if (aad != null) {
        cipher.updateAAD(aad);
      }
      return cipher.doFinal(in, inOff, len, out, outOff);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 encryption failed: " + e.getMessage(), e);
    }
  }

  /** {@link #seal} with a raw 12-byte RFC 8439 nonce, for the RFC's own test vectors. */
  public int sealWithNonce(SecretKeySpec key, byte[] rawNonce, byte[] aad, byte[] in, int inOff, int len, byte[] out,
      int outOff) {
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(rawNonce));
      if (aad != null) {
        cipher.updateAAD(aad);
      }
      return cipher.doFinal(in, inOff, len, out, outOff);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 encryption failed: " + e.getMessage(), e);
    }
  }

  /**
   * Decrypts and authenticates {@code len} bytes (ciphertext and tag) starting at offset 0 of
   * {@code in} (the JDK copies the input when it does not start at 0).
   *
   * @return the plaintext length
   * @throws AEADBadTagException when authentication fails
   */
  public int open(SecretKeySpec key, long counter, byte[] aad, byte[] in, int len, byte[] out, int outOff)
      throws AEADBadTagException {
    try {
      init(Cipher.DECRYPT_MODE, key, counter);
      if (aad != null) {
        cipher.updateAAD(aad);
      }
      return cipher.doFinal(in, 0, len, out, outOff);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 decryption failed: " + e.getMessage(), e);
    }
  }

  /** {@link #open} with a raw 12-byte nonce. */
  public int openWithNonce(SecretKeySpec key, byte[] rawNonce, byte[] aad, byte[] in, int len, byte[] out, int outOff)
      throws AEADBadTagException {
    try {
      initDecrypt(key, rawNonce);
      if (aad != null) {
        cipher.updateAAD(aad);
      }
      return cipher.doFinal(in, 0, len, out, outOff);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 decryption failed: " + e.getMessage(), e);
    }
  }

  private void init(int mode, SecretKeySpec key, long counter)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    for (int i = 0; i < 8; i++) {
      nonce[4 + i] = (byte) (counter >>> (8 * i));
    }
    if (mode == Cipher.DECRYPT_MODE) {
      initDecrypt(key, nonce);
    } else {
      cipher.init(mode, key, new IvParameterSpec(nonce));
    }
  }

  /**
   * The JDK refuses an init with the key and nonce of the previous one, even to decrypt. Opening a
   * packet twice under one nonce is harmless (a forged packet may precede the genuine one), so
   * decryption steps over that guard with a throwaway init; encryption never reuses a nonce.
   */
  private void initDecrypt(SecretKeySpec key, byte[] rawNonce)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(rawNonce));
    } catch (InvalidKeyException reused) {
      byte[] other = rawNonce.clone();
      other[0] ^= 1;
      cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(other));
      cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(rawNonce));
    }
  }
}
