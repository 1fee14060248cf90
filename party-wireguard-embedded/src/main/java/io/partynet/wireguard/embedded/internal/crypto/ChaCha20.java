package io.partynet.wireguard.embedded.internal.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The ChaCha20 stream cipher of RFC 8439 section 2.4 (96-bit nonce, 32-bit block counter), for
 * {@link TransportAead}. Written for the data path rather than taken from a library: the state
 * stays in local {@code int}s through the twenty rounds and the keystream is XORed a 32-bit word
 * at a time (little-endian views of the byte arrays), where BouncyCastle's engine serialises
 * every keystream block to bytes and XORs byte by byte; that was most of the embedded member's
 * CPU per MiB. Allocation-free; not thread-safe.
 */
final class ChaCha20 {
  private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int SIGMA0 = 0x61707865;
  private static final int SIGMA1 = 0x3320646e;
  private static final int SIGMA2 = 0x79622d32;
  private static final int SIGMA3 = 0x6b206574;

  private final int[] key = new int[8];
  private final int[] keystream = new int[16];
  private final byte[] keystreamBytes = new byte[64];
  private int nonce0;
  private int nonce1;
  private int nonce2;

  /** Sets the 256-bit key (32 bytes at {@code offset}). */
  void key(byte[] raw, int offset) {
    for (int i = 0; i < 8; i++) {
      key[i] = (int) LE_INT.get(raw, offset + 4 * i);
    }
  }

  /** Sets the 96-bit nonce as WireGuard builds it: four zero bytes, then the 64-bit counter little-endian. */
  void nonce(long counter) {
    nonce0 = 0;
    nonce1 = (int) counter;
    nonce2 = (int) (counter >>> 32);
  }

  /** Keystream block {@code blockCounter} as sixteen little-endian words, valid until the next call. */
  int[] block(int blockCounter) {
    int x0 = SIGMA0;
    int x1 = SIGMA1;
    int x2 = SIGMA2;
    int x3 = SIGMA3;
    int x4 = key[0];
    int x5 = key[1];
    int x6 = key[2];
    int x7 = key[3];
    int x8 = key[4];
    int x9 = key[5];
    int x10 = key[6];
    int x11 = key[7];
    int x12 = blockCounter;
    int x13 = nonce0;
    int x14 = nonce1;
    int x15 = nonce2;
    for (int round = 0; round < 10; round++) {
      // column round
      x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 16); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 12);
      x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 8); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 7);
      x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 16); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 12);
      x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 8); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 7);
      x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 16); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 12);
      x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 8); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 7);
      x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 16); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 12);
      x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 8); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 7);
      // diagonal round
      x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 16); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 12);
      x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 8); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 7);
      x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 16); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 12);
      x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 8); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 7);
      x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 16); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 12);
      x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 8); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 7);
      x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 16); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 12);
      x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 8); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 7);
    }
    int[] out = keystream;
    out[0] = x0 + SIGMA0;
    out[1] = x1 + SIGMA1;
    out[2] = x2 + SIGMA2;
    out[3] = x3 + SIGMA3;
    out[4] = x4 + key[0];
    out[5] = x5 + key[1];
    out[6] = x6 + key[2];
    out[7] = x7 + key[3];
    out[8] = x8 + key[4];
    out[9] = x9 + key[5];
    out[10] = x10 + key[6];
    out[11] = x11 + key[7];
    out[12] = x12 + blockCounter;
    out[13] = x13 + nonce0;
    out[14] = x14 + nonce1;
    out[15] = x15 + nonce2;
    return out;
  }

  /**
   * XORs the keystream, starting at block {@code firstBlock}, over {@code len} bytes of {@code in}
   * followed by {@code zeros} zero bytes, into {@code out}. {@code out} may be {@code in} at the
   * same or a lower offset.
   */
  void xor(int firstBlock, byte[] in, int inOff, int len, int zeros, byte[] out, int outOff) {
    int total = len + zeros;
    int blockCounter = firstBlock;
    int done = 0;
    for (; done + 64 <= len; done += 64) {
      int[] ks = block(blockCounter++);
      for (int w = 0; w < 16; w++) {
        int at = 4 * w;
        LE_INT.set(out, outOff + done + at, (int) LE_INT.get(in, inOff + done + at) ^ ks[w]);
      }
    }
    while (done < total) {
      int[] ks = block(blockCounter++);
      for (int w = 0; w < 16; w++) {
        LE_INT.set(keystreamBytes, 4 * w, ks[w]);
      }
      int end = Math.min(total, done + 64);
      for (int i = done; i < end; i++) {
        byte plain = i < len ? in[inOff + i] : 0;
        out[outOff + i] = (byte) (plain ^ keystreamBytes[i - done]);
      }
      done = end;
    }
  }
}
