package io.partynet.wireguard.embedded.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The keystream computed for many blocks side by side ({@link ChaCha20#xor} on long inputs) equals
 * the one-block form ({@link ChaCha20#block}, checked against RFC 8439 through
 * {@link TransportAeadTest}) for every length, chunk boundary ({@value ChaCha20#LANES} blocks),
 * first block, trailing zeros and in-place or shifted output.
 */
class ChaCha20Test {

  @Property(tries = 300)
  void sideBySideBlocksEqualOneBlockAtATime(@ForAll long seed, @ForAll @IntRange(min = 0, max = 5000) int len,
      @ForAll @IntRange(min = 0, max = 200) int zeros, @ForAll @IntRange(min = 0, max = 3) int firstBlock,
      @ForAll long counter, @ForAll @IntRange(min = 0, max = 2) int outShift) {
    Random random = new Random(seed);
    byte[] rawKey = new byte[32];
    random.nextBytes(rawKey);
    byte[] plain = new byte[len];
    random.nextBytes(plain);

    ChaCha20 oneBlock = new ChaCha20();
    oneBlock.key(rawKey, 0);
    oneBlock.nonce(counter);
    byte[] expected = new byte[len + zeros];
    for (int i = 0; i < expected.length; i++) {
      int word = oneBlock.block(firstBlock + i / 64)[(i % 64) / 4];
      byte keystream = (byte) (word >>> (8 * (i % 4)));
      expected[i] = (byte) ((i < len ? plain[i] : 0) ^ keystream);
    }

    ChaCha20 chacha = new ChaCha20();
    chacha.key(rawKey, 0);
    chacha.nonce(counter);
    // in place, the output starting outShift bytes before the input (as the device decrypts)
    byte[] buffer = new byte[outShift + len + zeros];
    System.arraycopy(plain, 0, buffer, outShift, len);
    chacha.xor(firstBlock, buffer, outShift, len, zeros, buffer, 0);
    byte[] actual = new byte[len + zeros];
    System.arraycopy(buffer, 0, actual, 0, actual.length);
    assertArrayEquals(expected, actual);
  }
}
