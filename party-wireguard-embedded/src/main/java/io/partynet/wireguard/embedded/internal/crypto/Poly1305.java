package io.partynet.wireguard.embedded.internal.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The Poly1305 one-time authenticator of RFC 8439 section 2.5, shaped for the AEAD construction
 * of section 2.8 (every block is a full 16-byte block: the AEAD pads its inputs with zeros, so the
 * "append 0x01 to a short final block" rule never applies). The accumulator is kept in five
 * 26-bit limbs so each product fits a {@code long}, the usual layout for 32/64-bit machines
 * without 128-bit multiplication; blocks are read as little-endian words. Allocation-free; not
 * thread-safe.
 */
final class Poly1305 {
  private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long MASK26 = 0x3ffffff;
  private static final long HIGH_BIT = 1L << 24;

  private long r0;
  private long r1;
  private long r2;
  private long r3;
  private long r4;
  private long s1;
  private long s2;
  private long s3;
  private long s4;
  private long h0;
  private long h1;
  private long h2;
  private long h3;
  private long h4;
  private final int[] pad = new int[4];
  private final byte[] lastBlock = new byte[16];

  /**
   * Starts a tag with the one-time key given as eight little-endian words: {@code r} (clamped
   * here) in words 0-3, {@code s} in words 4-7 (the first half of ChaCha20 block 0).
   */
  void init(int[] keyWords) {
    long k0 = keyWords[0] & 0xffffffffL;
    long k1 = keyWords[1] & 0xffffffffL;
    long k2 = keyWords[2] & 0xffffffffL;
    long k3 = keyWords[3] & 0xffffffffL;
    // r &= 0x0ffffffc0ffffffc0ffffffc0fffffff, split into 26-bit limbs
    r0 = k0 & 0x3ffffff;
    r1 = ((k0 >>> 26) | (k1 << 6)) & 0x3ffff03;
    r2 = ((k1 >>> 20) | (k2 << 12)) & 0x3ffc0ff;
    r3 = ((k2 >>> 14) | (k3 << 18)) & 0x3f03fff;
    r4 = (k3 >>> 8) & 0x00fffff;
    s1 = r1 * 5;
    s2 = r2 * 5;
    s3 = r3 * 5;
    s4 = r4 * 5;
    for (int i = 0; i < 4; i++) {
      pad[i] = keyWords[4 + i];
    }
    h0 = 0;
    h1 = 0;
    h2 = 0;
    h3 = 0;
    h4 = 0;
  }

  /** Absorbs {@code len} bytes, the last partial block padded with zeros to 16 bytes (RFC 8439 section 2.8). */
  void updatePadded(byte[] m, int offset, int len) {
    int full = len & ~15;
    for (int i = 0; i < full; i += 16) {
      block((int) LE_INT.get(m, offset + i), (int) LE_INT.get(m, offset + i + 4), (int) LE_INT.get(m, offset + i + 8),
          (int) LE_INT.get(m, offset + i + 12));
    }
    int rest = len - full;
    if (rest > 0) {
      Arrays.fill(lastBlock, (byte) 0);
      System.arraycopy(m, offset + full, lastBlock, 0, rest);
      block((int) LE_INT.get(lastBlock, 0), (int) LE_INT.get(lastBlock, 4), (int) LE_INT.get(lastBlock, 8),
          (int) LE_INT.get(lastBlock, 12));
    }
  }

  /** Absorbs the AEAD's final block: the two 64-bit lengths, associated data then ciphertext. */
  void updateLengths(long aadLength, long ciphertextLength) {
    block((int) aadLength, (int) (aadLength >>> 32), (int) ciphertextLength, (int) (ciphertextLength >>> 32));
  }

  private void block(int w0, int w1, int w2, int w3) {
    long t0 = w0 & 0xffffffffL;
    long t1 = w1 & 0xffffffffL;
    long t2 = w2 & 0xffffffffL;
    long t3 = w3 & 0xffffffffL;
    long a0 = h0 + (t0 & MASK26);
    long a1 = h1 + (((t0 >>> 26) | (t1 << 6)) & MASK26);
    long a2 = h2 + (((t1 >>> 20) | (t2 << 12)) & MASK26);
    long a3 = h3 + (((t2 >>> 14) | (t3 << 18)) & MASK26);
    long a4 = h4 + ((t3 >>> 8) | HIGH_BIT);
    long d0 = a0 * r0 + a1 * s4 + a2 * s3 + a3 * s2 + a4 * s1;
    long d1 = a0 * r1 + a1 * r0 + a2 * s4 + a3 * s3 + a4 * s2;
    long d2 = a0 * r2 + a1 * r1 + a2 * r0 + a3 * s4 + a4 * s3;
    long d3 = a0 * r3 + a1 * r2 + a2 * r1 + a3 * r0 + a4 * s4;
    long d4 = a0 * r4 + a1 * r3 + a2 * r2 + a3 * r1 + a4 * r0;
    d1 += d0 >>> 26;
    d2 += d1 >>> 26;
    d3 += d2 >>> 26;
    d4 += d3 >>> 26;
    long c = d4 >>> 26;
    long n0 = (d0 & MASK26) + c * 5;
    h0 = n0 & MASK26;
    h1 = (d1 & MASK26) + (n0 >>> 26);
    h2 = d2 & MASK26;
    h3 = d3 & MASK26;
    h4 = d4 & MASK26;
  }

  /** Finishes the tag: (h mod 2^130 - 5) + s mod 2^128, written as 16 little-endian bytes. */
  void finish(byte[] out, int offset) {
    // carry h fully
    long c = h1 >>> 26;
    h1 &= MASK26;
    h2 += c;
    c = h2 >>> 26;
    h2 &= MASK26;
    h3 += c;
    c = h3 >>> 26;
    h3 &= MASK26;
    h4 += c;
    c = h4 >>> 26;
    h4 &= MASK26;
    h0 += c * 5;
    c = h0 >>> 26;
    h0 &= MASK26;
    h1 += c;
    // g = h + 5 - 2^130; take g when it is not negative (h >= p)
    long g0 = h0 + 5;
    c = g0 >>> 26;
    g0 &= MASK26;
    long g1 = h1 + c;
    c = g1 >>> 26;
    g1 &= MASK26;
    long g2 = h2 + c;
    c = g2 >>> 26;
    g2 &= MASK26;
    long g3 = h3 + c;
    c = g3 >>> 26;
    g3 &= MASK26;
    long g4 = h4 + c - (1L << 26);
    long useG = (g4 >> 63) + 1; // 1 when g4 >= 0
    long selectG = -useG;
    long selectH = ~selectG;
    long f0 = (h0 & selectH) | (g0 & selectG);
    long f1 = (h1 & selectH) | (g1 & selectG);
    long f2 = (h2 & selectH) | (g2 & selectG);
    long f3 = (h3 & selectH) | (g3 & selectG);
    long f4 = (h4 & selectH) | (g4 & selectG);
    // back to four 32-bit words, then add s with carries
    long w0 = (f0 | (f1 << 26)) & 0xffffffffL;
    long w1 = ((f1 >>> 6) | (f2 << 20)) & 0xffffffffL;
    long w2 = ((f2 >>> 12) | (f3 << 14)) & 0xffffffffL;
    long w3 = ((f3 >>> 18) | (f4 << 8)) & 0xffffffffL;
    long sum = w0 + (pad[0] & 0xffffffffL);
    LE_INT.set(out, offset, (int) sum);
    sum = w1 + (pad[1] & 0xffffffffL) + (sum >>> 32);
    LE_INT.set(out, offset + 4, (int) sum);
    sum = w2 + (pad[2] & 0xffffffffL) + (sum >>> 32);
    LE_INT.set(out, offset + 8, (int) sum);
    sum = w3 + (pad[3] & 0xffffffffL) + (sum >>> 32);
    LE_INT.set(out, offset + 12, (int) sum);
  }
}
