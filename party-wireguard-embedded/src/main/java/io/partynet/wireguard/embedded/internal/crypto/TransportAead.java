package io.partynet.wireguard.embedded.internal.crypto;

import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.ChaCha7539Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * AEAD_CHACHA20_POLY1305 (RFC 8439 section 2.8) for WireGuard transport packets (empty associated
 * data), allocation-free. The JDK's {@code ChaCha20-Poly1305} {@link javax.crypto.Cipher} allocates
 * about a kilobyte on every {@code init} (a key copy, a fresh Poly1305 state), and a transport
 * packet needs one init per nonce; so the data path drives BouncyCastle's ChaCha20
 * ({@link ChaCha7539Engine}) and {@link Poly1305} primitives directly, reusing their parameter
 * objects, and composes them exactly as RFC 8439 section 2.8 does: the Poly1305 key is the first
 * half of keystream block 0, the payload is encrypted from block 1, the tag covers the ciphertext,
 * its padding and the two lengths. Checked against the RFC's vector and against {@link ChaChaPoly}
 * (the JDK) on random inputs.
 *
 * <p>Not thread-safe: one instance per sending peer and one for the receive thread.
 */
public final class TransportAead {
  public static final int TAG_LENGTH = 16;
  private static final byte[] ZEROS = new byte[64];

  private final RestartableChaCha chacha = new RestartableChaCha();
  private final Poly1305 poly = new Poly1305();
  private final KeyParameter polyKey = new KeyParameter(new byte[32]);
  private final byte[] block = new byte[64];
  private final byte[] lengths = new byte[16];
  private final byte[] tag = new byte[TAG_LENGTH];
  private final byte[] nonce = new byte[12];
  private SecretKeySpec currentKey;

  /**
   * BouncyCastle's ChaCha20 with a nonce change that keeps the key: {@code init} would run the
   * provider's constraint check, which allocates on every call.
   */
  private static final class RestartableChaCha extends ChaCha7539Engine {
    void restart(byte[] nonce) {
      setKey(null, nonce);
      reset();
    }
  }

  /**
   * Encrypts {@code len} bytes plus {@code padding} zero bytes into {@code out} and appends the tag;
   * returns the bytes written.
   */
  public int sealPadded(SecretKeySpec key, long counter, byte[] in, int inOff, int len, int padding, byte[] out,
      int outOff) {
    start(key, counter);
    chacha.processBytes(in, inOff, len, out, outOff);
    chacha.processBytes(ZEROS, 0, padding, out, outOff + len);
    int ciphertextLength = len + padding;
    authenticate(out, outOff, ciphertextLength);
    poly.doFinal(out, outOff + ciphertextLength);
    return ciphertextLength + TAG_LENGTH;
  }

  /**
   * Authenticates and decrypts {@code len} bytes (ciphertext and tag) at {@code inOff}.
   *
   * @return the plaintext length
   * @throws AEADBadTagException when the tag does not match (nothing is decrypted then)
   */
  public int open(SecretKeySpec key, long counter, byte[] in, int inOff, int len, byte[] out, int outOff)
      throws AEADBadTagException {
    if (len < TAG_LENGTH) {
      throw new AEADBadTagException("shorter than a tag");
    }
    int ciphertextLength = len - TAG_LENGTH;
    start(key, counter);
    authenticate(in, inOff, ciphertextLength);
    poly.doFinal(tag, 0);
    int diff = 0;
    for (int i = 0; i < TAG_LENGTH; i++) {
      diff |= tag[i] ^ in[inOff + ciphertextLength + i];
    }
    if (diff != 0) {
      throw new AEADBadTagException("transport packet does not authenticate");
    }
    chacha.processBytes(in, inOff, ciphertextLength, out, outOff);
    return ciphertextLength;
  }

  private void start(SecretKeySpec key, long counter) {
    for (int i = 0; i < 8; i++) {
      nonce[4 + i] = (byte) (counter >>> (8 * i));
    }
    if (key != currentKey) {
      currentKey = key;
      chacha.init(true, new ParametersWithIV(new KeyParameter(key.getEncoded()), nonce));
    } else {
      chacha.restart(nonce);
    }
    chacha.processBytes(ZEROS, 0, 64, block, 0);
    System.arraycopy(block, 0, polyKey.getKey(), 0, 32);
    poly.init(polyKey);
  }

  private void authenticate(byte[] ciphertext, int offset, int length) {
    poly.update(ciphertext, offset, length);
    int pad = (16 - (length & 15)) & 15;
    poly.update(ZEROS, 0, pad);
    for (int i = 0; i < 8; i++) {
      lengths[i] = 0;
      lengths[8 + i] = (byte) ((long) length >>> (8 * i));
    }
    poly.update(lengths, 0, 16);
  }
}
