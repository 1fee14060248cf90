package io.partynet.wireguard.embedded.internal.crypto;

import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;

/**
 * AEAD_CHACHA20_POLY1305 (RFC 8439 section 2.8) for WireGuard transport packets (empty associated
 * data), allocation-free. The JDK's {@code ChaCha20-Poly1305} {@link javax.crypto.Cipher} allocates
 * about a kilobyte on every {@code init} (a key copy, a fresh Poly1305 state), and a transport
 * packet needs one init per nonce; BouncyCastle's engines do not allocate but XOR the keystream
 * byte by byte, which made them most of the embedded TCP path's CPU. So the data path runs this
 * module's own {@link ChaCha20} and {@link Poly1305}, composed exactly as RFC 8439 section 2.8
 * does: the Poly1305 key is the first half of keystream block 0, the payload is encrypted from
 * block 1, the tag covers the ciphertext, its padding and the two lengths. Checked against the
 * RFC's vector and against {@link ChaChaPoly} (the JDK) on random inputs.
 *
 * <p>Not thread-safe: one instance for the device's send stage and one for its receive thread.
 */
public final class TransportAead {
  public static final int TAG_LENGTH = 16;

  private final ChaCha20 chacha = new ChaCha20();
  private final Poly1305 poly = new Poly1305();
  private final byte[] tag = new byte[TAG_LENGTH];
  private SecretKeySpec currentKey;

  /**
   * Encrypts {@code len} bytes plus {@code padding} zero bytes into {@code out} and appends the tag;
   * returns the bytes written.
   */
  public int sealPadded(SecretKeySpec key, long counter, byte[] in, int inOff, int len, int padding, byte[] out,
      int outOff) {
    int ciphertextLength = len + padding;
    start(key, counter, ciphertextLength);
    chacha.xor(1, in, inOff, len, padding, out, outOff);
    authenticate(out, outOff, ciphertextLength);
    poly.finish(out, outOff + ciphertextLength);
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
    start(key, counter, ciphertextLength);
    authenticate(in, inOff, ciphertextLength);
    poly.finish(tag, 0);
    int diff = 0;
    for (int i = 0; i < TAG_LENGTH; i++) {
      diff |= tag[i] ^ in[inOff + ciphertextLength + i];
    }
    if (diff != 0) {
      throw new AEADBadTagException("transport packet does not authenticate");
    }
    chacha.xor(1, in, inOff, ciphertextLength, 0, out, outOff);
    return ciphertextLength;
  }

  /** Keys ChaCha20 for this packet and Poly1305 with block 0, computed with the packet's other blocks. */
  private void start(SecretKeySpec key, long counter, int ciphertextLength) {
    if (key != currentKey) {
      currentKey = key;
      chacha.key(key.getEncoded(), 0);
    }
    chacha.nonce(counter);
    poly.init(chacha.keyBlock(ciphertextLength));
  }

  private void authenticate(byte[] ciphertext, int offset, int length) {
    poly.updatePadded(ciphertext, offset, length);
    poly.updateLengths(0, length);
  }
}
