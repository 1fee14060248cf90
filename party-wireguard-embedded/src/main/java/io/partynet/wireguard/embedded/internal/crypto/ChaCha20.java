package io.partynet.wireguard.embedded.internal.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The ChaCha20 stream cipher of RFC 8439 section 2.4 (96-bit nonce, 32-bit block counter), for
 * {@link TransportAead}. Written for the data path rather than taken from a library: the state
 * stays in local {@code int}s through the twenty rounds and the keystream is XORed 64 bits at a
 * time (little-endian views of the byte arrays), where BouncyCastle's engine serialises every
 * keystream block to bytes and XORs byte by byte; that was most of the embedded member's CPU per
 * MiB.
 *
 * <p>Packets of more than a few blocks compute up to {@value #LANES} keystream blocks side by
 * side: word {@code w} of block {@code b} lives at {@code lanes[w * LANES + b]}, and each quarter
 * round is one loop over the blocks ({@link #quarterRound}) that C2's superword pass turns into
 * SIMD instructions (AVX2 here: eight blocks per instruction). On a 1420-byte packet this more
 * than doubles the keystream rate of the one-block-in-registers form, which stays for short
 * packets. The XOR reads each block's words across the lanes and pairs them into longs in
 * registers ({@link #xorLane}); block 0 (the Poly1305 key) is one more lane of the packet's pass
 * ({@link #keyBlock}). Allocation-free; not thread-safe.
 */
final class ChaCha20 {
  private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int SIGMA0 = 0x61707865;
  private static final int SIGMA1 = 0x3320646e;
  private static final int SIGMA2 = 0x79622d32;
  private static final int SIGMA3 = 0x6b206574;

  /** Blocks computed side by side; a 1420-byte packet needs 23 after block 0. */
  static final int LANES = 32;
  /** Below this many blocks the lane form's set-up costs more than it saves. */
  private static final int MIN_LANE_BLOCKS = 4;
  /** The superword pass packs eight ints per AVX2 register: lanes are computed in multiples of it. */
  private static final int VECTOR_INTS = 8;
  private static final int A0 = 0;
  private static final int A1 = LANES;
  private static final int A2 = 2 * LANES;
  private static final int A3 = 3 * LANES;
  private static final int B0 = 4 * LANES;
  private static final int B1 = 5 * LANES;
  private static final int B2 = 6 * LANES;
  private static final int B3 = 7 * LANES;
  private static final int C0 = 8 * LANES;
  private static final int C1 = 9 * LANES;
  private static final int C2 = 10 * LANES;
  private static final int C3 = 11 * LANES;
  private static final int D0 = 12 * LANES;
  private static final int D1 = 13 * LANES;
  private static final int D2 = 14 * LANES;
  private static final int D3 = 15 * LANES;

  private final int[] key = new int[8];
  private final int[] lanes = new int[16 * LANES];
  private final int[] keystream = new int[16];
  private final byte[] keystreamBytes = new byte[64];
  private int nonce0;
  private int nonce1;
  private int nonce2;
  /** {@link #lanes} hold the rounds of blocks {@code lanesFirstBlock ..} for {@code lanesCount} blocks of this key and nonce. */
  private int lanesFirstBlock;
  private int lanesCount;

  /** Sets the 256-bit key (32 bytes at {@code offset}). */
  void key(byte[] raw, int offset) {
    for (int i = 0; i < 8; i++) {
      key[i] = (int) LE_INT.get(raw, offset + 4 * i);
    }
    lanesCount = 0;
  }

  /** Sets the 96-bit nonce as WireGuard builds it: four zero bytes, then the 64-bit counter little-endian. */
  void nonce(long counter) {
    nonce0 = 0;
    nonce1 = (int) counter;
    nonce2 = (int) (counter >>> 32);
    lanesCount = 0;
  }

  /**
   * Keystream block 0 (the Poly1305 key, RFC 8439 section 2.6) as sixteen little-endian words,
   * valid until the next call, for a message of {@code messageLength} bytes that {@link #xor} will
   * then encrypt from block 1. When that message takes the side-by-side form, block 0 is computed
   * as one more lane of the same pass, which {@code xor} then reuses: a 1420-byte packet needs 23
   * blocks after block 0, so block 0 fills the 24th lane of three eight-lane vectors for free
   * instead of costing a one-block computation of its own.
   */
  int[] keyBlock(int messageLength) {
    int blocks = 1 + ((messageLength + 63) >>> 6);
    if (blocks <= MIN_LANE_BLOCKS) {
      return block(0);
    }
    computeLanes(0, laneCount(blocks));
    return laneBlock(0, 0);
  }

  /** The lanes computed for {@code blocks} blocks: at most {@value #LANES}, rounded up to whole vectors. */
  private static int laneCount(int blocks) {
    return (Math.min(blocks, LANES) + VECTOR_INTS - 1) & -VECTOR_INTS;
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
    while (done < total) {
      int blocks = (total - done + 63) >>> 6;
      int lane = blockCounter - lanesFirstBlock;
      if (lane < 0 || lane >= lanesCount) {
        if (blocks < MIN_LANE_BLOCKS) {
          xorBlock(block(blockCounter++), in, inOff, len, total, done, out, outOff);
          done += 64;
          continue;
        }
        computeLanes(blockCounter, laneCount(blocks));
        lane = 0;
      }
      int fromLanes = Math.min(blocks, lanesCount - lane);
      for (int b = 0; b < fromLanes; b++, lane++) {
        if (done + 64 <= len) {
          xorLane(lane, blockCounter + b, in, inOff + done, out, outOff + done);
        } else {
          xorBlock(laneBlock(lane, blockCounter + b), in, inOff, len, total, done, out, outOff);
        }
        done += 64;
      }
      blockCounter += fromLanes;
    }
  }

  /**
   * XORs keystream block {@code ks} over bytes {@code done..min(done + 64, total)}; bytes from
   * {@code len} on are zeros.
   */
  private void xorBlock(int[] ks, byte[] in, int inOff, int len, int total, int done, byte[] out, int outOff) {
    if (done + 64 <= len) {
      for (int w = 0; w < 16; w += 2) {
        xorLong(in, inOff + done + 4 * w, out, outOff + done + 4 * w, ks[w], ks[w + 1]);
      }
      return;
    }
    for (int w = 0; w < 16; w++) {
      LE_INT.set(keystreamBytes, 4 * w, ks[w]);
    }
    int end = Math.min(total, done + 64);
    for (int i = done; i < end; i++) {
      byte plain = i < len ? in[inOff + i] : 0;
      out[outOff + i] = (byte) (plain ^ keystreamBytes[i - done]);
    }
  }

  /** Runs the twenty rounds on blocks {@code firstBlock .. firstBlock + count - 1} side by side. */
  private void computeLanes(int firstBlock, int count) {
    lanesFirstBlock = firstBlock;
    lanesCount = count;
    int[] x = lanes;
    for (int b = 0; b < count; b++) {
      x[A0 + b] = SIGMA0;
      x[A1 + b] = SIGMA1;
      x[A2 + b] = SIGMA2;
      x[A3 + b] = SIGMA3;
      x[B0 + b] = key[0];
      x[B1 + b] = key[1];
      x[B2 + b] = key[2];
      x[B3 + b] = key[3];
      x[C0 + b] = key[4];
      x[C1 + b] = key[5];
      x[C2 + b] = key[6];
      x[C3 + b] = key[7];
      x[D0 + b] = firstBlock + b;
      x[D1 + b] = nonce0;
      x[D2 + b] = nonce1;
      x[D3 + b] = nonce2;
    }
    for (int round = 0; round < 10; round++) {
      quarterRound(x, A0, B0, C0, D0, count);
      quarterRound(x, A1, B1, C1, D1, count);
      quarterRound(x, A2, B2, C2, D2, count);
      quarterRound(x, A3, B3, C3, D3, count);
      quarterRound(x, A0, B1, C2, D3, count);
      quarterRound(x, A1, B2, C3, D0, count);
      quarterRound(x, A2, B3, C0, D1, count);
      quarterRound(x, A3, B0, C1, D2, count);
    }
  }

  /**
   * One quarter round on words {@code a, b, c, d} (offsets into {@link #lanes}) of {@code count}
   * blocks. One quarter round per loop is what the superword pass vectorizes: a loop body holding
   * two or more (fewer loads and stores) is not unrolled far enough and stays scalar, at a quarter
   * of the speed.
   */
  private static void quarterRound(int[] x, int a, int b, int c, int d, int count) {
    for (int i = 0; i < count; i++) {
      int va = x[a + i] + x[b + i];
      int vd = Integer.rotateLeft(x[d + i] ^ va, 16);
      int vc = x[c + i] + vd;
      int vb = Integer.rotateLeft(x[b + i] ^ vc, 12);
      va += vb;
      vd = Integer.rotateLeft(vd ^ va, 8);
      vc += vd;
      vb = Integer.rotateLeft(vb ^ vc, 7);
      x[a + i] = va;
      x[b + i] = vb;
      x[c + i] = vc;
      x[d + i] = vd;
    }
  }

  /**
   * XORs lane {@code lane}'s keystream block (the rounds' output plus the input state) over the
   * 64 bytes at {@code inPos} into {@code outPos}, eight bytes at a time: the keystream words are
   * read straight from {@link #lanes} (a stride of {@value #LANES} ints) and paired into longs in
   * registers, with no copy into a contiguous block first. Each long is read before it is written,
   * so {@code out} may overlap {@code in} at a lower offset.
   */
  private void xorLane(int lane, int blockCounter, byte[] in, int inPos, byte[] out, int outPos) {
    int[] x = lanes;
    int[] k = key;
    xorLong(in, inPos, out, outPos, x[A0 + lane] + SIGMA0, x[A1 + lane] + SIGMA1);
    xorLong(in, inPos + 8, out, outPos + 8, x[A2 + lane] + SIGMA2, x[A3 + lane] + SIGMA3);
    xorLong(in, inPos + 16, out, outPos + 16, x[B0 + lane] + k[0], x[B1 + lane] + k[1]);
    xorLong(in, inPos + 24, out, outPos + 24, x[B2 + lane] + k[2], x[B3 + lane] + k[3]);
    xorLong(in, inPos + 32, out, outPos + 32, x[C0 + lane] + k[4], x[C1 + lane] + k[5]);
    xorLong(in, inPos + 40, out, outPos + 40, x[C2 + lane] + k[6], x[C3 + lane] + k[7]);
    xorLong(in, inPos + 48, out, outPos + 48, x[D0 + lane] + blockCounter, x[D1 + lane] + nonce0);
    xorLong(in, inPos + 56, out, outPos + 56, x[D2 + lane] + nonce1, x[D3 + lane] + nonce2);
  }

  /** {@code out[outPos..+8] = in[inPos..+8] ^ (low | high << 32)}, little-endian. */
  private static void xorLong(byte[] in, int inPos, byte[] out, int outPos, int low, int high) {
    long keystream = (low & 0xffffffffL) | ((long) high << 32);
    LE_LONG.set(out, outPos, (long) LE_LONG.get(in, inPos) ^ keystream);
  }

  /** Lane {@code lane}'s keystream block (the rounds' output plus the input state), valid until the next call. */
  private int[] laneBlock(int lane, int blockCounter) {
    int[] x = lanes;
    int[] out = keystream;
    out[0] = x[A0 + lane] + SIGMA0;
    out[1] = x[A1 + lane] + SIGMA1;
    out[2] = x[A2 + lane] + SIGMA2;
    out[3] = x[A3 + lane] + SIGMA3;
    for (int w = 0; w < 8; w++) {
      out[4 + w] = x[(4 + w) * LANES + lane] + key[w];
    }
    out[12] = x[D0 + lane] + blockCounter;
    out[13] = x[D1 + lane] + nonce0;
    out[14] = x[D2 + lane] + nonce1;
    out[15] = x[D3 + lane] + nonce2;
    return out;
  }
}
