package io.partynet.wireguard.embedded.internal.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The Poly1305 one-time authenticator of RFC 8439 section 2.5, shaped for the AEAD construction
 * of section 2.8 (the AEAD pads its inputs with zeros to whole 16-byte blocks, so the data path
 * only ever absorbs full blocks). Allocation-free; not thread-safe.
 *
 * <p>Radix 2^64: the accumulator is {@code h0 + h1 * 2^64 + h2 * 2^128} ({@code h0, h1} full
 * unsigned words, {@code h2} at most 4 between blocks) and the clamped key {@code r0 + r1 * 2^64}
 * with both words below 2^60. A block costs four 64x64->128-bit products and two small ones,
 * where five 26-bit limbs cost 25; the JVM has no unsigned 128-bit product on JDK 17, so the high
 * word comes from the intrinsic {@link Math#multiplyHigh} (signed) plus a correction for a
 * negative first factor (the key words are below 2^63, so only the accumulator's need it). The
 * modular reduction uses 2^130 = 5 (mod p): {@code r1}'s two low bits are clamped to zero, so
 * {@code h1 * r1 * 2^128 = h1 * (r1 / 4) * 2^130 = h1 * (5 * r1 / 4)}, hence {@code s1 = r1 + r1 / 4}.
 * Carries are computed with bit operations (no comparison, no branch) and the final reduction
 * selects with a mask: constant-time by construction.
 */
final class Poly1305 {
  private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long CLAMP_R0 = 0x0ffffffc0fffffffL;
  private static final long CLAMP_R1 = 0x0ffffffc0ffffffcL;
  /** The 2^128 bit RFC 8439 section 2.5 adds to every full 16-byte block, as a value of {@code h2}. */
  static final long FULL_BLOCK = 1;

  private long r0;
  private long r1;
  private long s1;
  private long pad0;
  private long pad1;
  private long h0;
  private long h1;
  private long h2;
  private final byte[] lastBlock = new byte[16];

  /**
   * Starts a tag with the one-time key given as eight little-endian words: {@code r} (clamped
   * here) in words 0-3, {@code s} in words 4-7 (the first half of ChaCha20 block 0).
   */
  void init(int[] keyWords) {
    r0 = words(keyWords[0], keyWords[1]) & CLAMP_R0;
    r1 = words(keyWords[2], keyWords[3]) & CLAMP_R1;
    s1 = r1 + (r1 >>> 2);
    pad0 = words(keyWords[4], keyWords[5]);
    pad1 = words(keyWords[6], keyWords[7]);
    h0 = 0;
    h1 = 0;
    h2 = 0;
  }

  private static long words(int low, int high) {
    return (low & 0xffffffffL) | ((long) high << 32);
  }

  /** Absorbs {@code len} bytes, the last partial block padded with zeros to 16 bytes (RFC 8439 section 2.8). */
  void updatePadded(byte[] m, int offset, int len) {
    int full = len & ~15;
    absorb(m, offset, full, FULL_BLOCK);
    int rest = len - full;
    if (rest > 0) {
      Arrays.fill(lastBlock, (byte) 0);
      System.arraycopy(m, offset + full, lastBlock, 0, rest);
      absorb(lastBlock, 0, 16, FULL_BLOCK);
    }
  }

  /** Absorbs the AEAD's final block: the two 64-bit lengths, associated data then ciphertext. */
  void updateLengths(long aadLength, long ciphertextLength) {
    LE_LONG.set(lastBlock, 0, aadLength);
    LE_LONG.set(lastBlock, 8, ciphertextLength);
    absorb(lastBlock, 0, 16, FULL_BLOCK);
  }

  /**
   * Runs RFC 8439 section 2.5's step {@code h = (h + m) * r mod 2^130 - 5} on each 16-byte block
   * of {@code m[offset, offset + len)} ({@code len} a multiple of 16), leaving {@code h} partly
   * reduced: below 2^130 + 2^64. Each block {@code m} is {@code m0 + m1 * 2^64 + top * 2^128}:
   * {@code top} is {@link #FULL_BLOCK} for a 16-byte block; the general (non-AEAD) form's short
   * final block, with its 0x01 byte appended by the caller, takes 0 (only the RFC's test vectors
   * need it). The state lives in locals through the loop (5 % faster than fields per block).
   */
  void absorb(byte[] m, int offset, int len, long top) {
    long h0 = this.h0;
    long h1 = this.h1;
    long h2 = this.h2;
    long r0 = this.r0;
    long r1 = this.r1;
    long s1 = this.s1;
    for (int i = 0; i < len; i += 16) {
      long m0 = (long) LE_LONG.get(m, offset + i);
      long m1 = (long) LE_LONG.get(m, offset + i + 8);
      long a0 = h0 + m0;
      long a1 = h1 + m1 + carry(h0, m0, a0);
      long a2 = h2 + top + carry(h1, m1, a1);
      // (a0 + a1 2^64 + a2 2^128)(r0 + r1 2^64) with r1 2^128 folded to s1 = 5 r1 / 4; as a2 <= 6
      // every sum stays under 2^128 (d0, d1 with their high words) and d2 under 2^64.
      // multiplyHigh reads a0 or a1 from 2^63 up as negative (a - 2^64), so the unsigned high
      // word adds the other factor back for it; those corrections are summed first, beside the
      // multiplications rather than after each (5-7 % faster in a microbenchmark)
      long negative0 = a0 >> 63;
      long negative1 = a1 >> 63;
      long lo00 = a0 * r0;
      long lo11 = a1 * s1;
      long lo01 = a0 * r1;
      long lo10 = a1 * r0;
      long d0 = lo00 + lo11;
      long d0High = (negative0 & r0) + (negative1 & s1) + carry(lo00, lo11, d0)
          + Math.multiplyHigh(a0, r0) + Math.multiplyHigh(a1, s1);
      long d1Products = lo01 + lo10;
      long d1High = (negative0 & r1) + (negative1 & r0) + carry(lo01, lo10, d1Products)
          + Math.multiplyHigh(a0, r1) + Math.multiplyHigh(a1, r0);
      long small = a2 * s1 + d0High; // below 2^64: a2 * s1 < 7.5 * 2^60, d0High < 2.25 * 2^60
      long d1 = d1Products + small;
      d1High += carry(d1Products, small, d1);
      long d2 = a2 * r0 + d1High;
      // the bits from 2^130 up fold back times 5: (d2 >> 2) * 5 = (d2 & ~3) + (d2 >> 2)
      long fold = (d2 & ~3L) + (d2 >>> 2);
      h0 = d0 + fold;
      long c = carry(d0, fold, h0);
      h1 = d1 + c;
      h2 = (d2 & 3) + carry(d1, c, h1);
    }
    this.h0 = h0;
    this.h1 = h1;
    this.h2 = h2;
  }

  /** The carry out of the 64-bit unsigned sum {@code a + b (+ carry in) = sum}, as 0 or 1, without a branch. */
  private static long carry(long a, long b, long sum) {
    return ((a & b) | ((a | b) & ~sum)) >>> 63;
  }

  /** Finishes the tag: (h mod 2^130 - 5) + s mod 2^128, written as 16 little-endian bytes. */
  void finish(byte[] out, int offset) {
    // h < 2^130 + 2^64 < 2p, so one conditional subtraction of p reduces it: g = h + 5 - 2^130,
    // taken when it is not negative, i.e. when h + 5 reaches 2^130
    long g0 = h0 + 5;
    long g1 = h1 + carry(h0, 5, g0);
    long g2 = h2 + carry(h1, 0, g1);
    long takeG = -(g2 >>> 2);
    long f0 = h0 ^ ((h0 ^ g0) & takeG);
    long f1 = h1 ^ ((h1 ^ g1) & takeG);
    long t0 = f0 + pad0;
    long t1 = f1 + pad1 + carry(f0, pad0, t0);
    LE_LONG.set(out, offset, t0);
    LE_LONG.set(out, offset + 8, t1);
  }
}
