package io.partynet.wireguard.embedded.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The word-at-a-time ChaCha20 must produce the JDK's ChaCha20 keystream (RFC 8439 section 2.4)
 * for WireGuard nonces, any starting block, any length and zero padding, also in place.
 */
class ChaCha20Test {

  @Property(tries = 300)
  void agreesWithTheJdk(@ForAll @Size(32) byte[] key, @ForAll long counter, @ForAll @Size(max = 1500) byte[] plain,
      @ForAll @IntRange(min = 0, max = 70) int zeros, @ForAll @IntRange(min = 0, max = 3) int firstBlock)
      throws Exception {
    byte[] nonce = new byte[12];
    for (int i = 0; i < 8; i++) {
      nonce[4 + i] = (byte) (counter >>> (8 * i));
    }
    Cipher jdk = Cipher.getInstance("ChaCha20");
    jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new ChaCha20ParameterSpec(nonce, firstBlock));
    byte[] expected = jdk.doFinal(Arrays.copyOf(plain, plain.length + zeros));

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
}
