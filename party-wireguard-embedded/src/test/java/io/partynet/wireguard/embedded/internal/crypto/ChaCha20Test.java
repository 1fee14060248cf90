package io.partynet.wireguard.embedded.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The word-at-a-time ChaCha20 must produce the JDK's ChaCha20 keystream (RFC 8439 section 2.4)
 * for WireGuard nonces, any starting block, any length and zero padding, also in place; lengths
 * up to 5000 bytes cross the side-by-side form's chunk of {@value ChaCha20#LANES} blocks, and the
 * side-by-side form equals the one-block form also when the output starts before the input;
 * block 0 computed as a lane for the packet ({@link ChaCha20#keyBlock}) is block 0, and the
 * packet's blocks reused from that pass are the JDK's.
 */
class ChaCha20Test {

  @Property(tries = 300)
  void keyBlockIsBlockZeroAndItsLanesEncryptFromBlockOne(@ForAll @Size(32) byte[] key, @ForAll long counter,
      @ForAll @Size(max = 5000) byte[] plain, @ForAll @IntRange(min = 0, max = 15) int zeros) throws Exception {
    ChaCha20 oneBlock = new ChaCha20();
    oneBlock.key(key, 0);
    oneBlock.nonce(counter);
    int[] expectedKeyBlock = oneBlock.block(0).clone();

    ChaCha20 chacha = new ChaCha20();
    chacha.key(key, 0);
    chacha.nonce(counter);
    assertArrayEquals(expectedKeyBlock, chacha.keyBlock(plain.length + zeros));
    byte[] out = new byte[plain.length + zeros];
    chacha.xor(1, plain, 0, plain.length, zeros, out, 0);
    assertArrayEquals(jdkKeystreamXor(key, counter, 1, Arrays.copyOf(plain, out.length)), out);
  }

  private static byte[] jdkKeystreamXor(byte[] key, long counter, int firstBlock, byte[] data) throws Exception {
    byte[] nonce = new byte[12];
    for (int i = 0; i < 8; i++) {
      nonce[4 + i] = (byte) (counter >>> (8 * i));
    }
    Cipher jdk = Cipher.getInstance("ChaCha20");
    jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new ChaCha20ParameterSpec(nonce, firstBlock));
    return jdk.doFinal(data);
  }

  @Property(tries = 300)
  void agreesWithTheJdk(@ForAll @Size(32) byte[] key, @ForAll long counter, @ForAll @Size(max = 5000) byte[] plain,
      @ForAll @IntRange(min = 0, max = 70) int zeros, @ForAll @IntRange(min = 0, max = 3) int firstBlock)
      throws Exception {
    byte[] expected = jdkKeystreamXor(key, counter, firstBlock, Arrays.copyOf(plain, plain.length + zeros));

    ChaCha20 chacha = new ChaCha20();
    chacha.key(key, 0);
    chacha.nonce(counter);
    byte[] out = new byte[5 + expected.length];
    chacha.xor(firstBlock, plain, 0, plain.length, zeros, out, 5);
    assertArrayEquals(expected, Arrays.copyOfRange(out, 5, out.length));

    byte[] inPlace = Arrays.copyOf(plain, plain.length + zeros);
    chacha.xor(firstBlock, inPlace, 0, plain.length, zeros, inPlace, 0);
    assertArrayEquals(expected, inPlace);
  }

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
