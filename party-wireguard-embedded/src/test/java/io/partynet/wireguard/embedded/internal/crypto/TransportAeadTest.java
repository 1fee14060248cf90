package io.partynet.wireguard.embedded.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The allocation-free transport AEAD must agree byte for byte with the JDK's ChaCha20-Poly1305
 * (itself checked against RFC 8439 section 2.8.2 in {@link CryptoVectorsTest}) for WireGuard
 * nonces, padding and any length, and must refuse any tampering.
 */
class TransportAeadTest {

  @Property(tries = 300)
  void agreesWithTheJdk(@ForAll @Size(32) byte[] rawKey, @ForAll long counter, @ForAll @Size(max = 1500) byte[] plain,
      @ForAll @IntRange(min = 0, max = 15) int padding) throws AEADBadTagException {
    SecretKeySpec key = ChaChaPoly.key(rawKey);
    byte[] padded = Arrays.copyOf(plain, plain.length + padding);
    byte[] viaJdk = new byte[padded.length + 16];
    new ChaChaPoly().seal(key, counter, null, padded, 0, padded.length, viaJdk, 0);

    byte[] viaTransport = new byte[3 + padded.length + 16];
    TransportAead aead = new TransportAead();
    int n = aead.sealPadded(key, counter, plain, 0, plain.length, padding, viaTransport, 3);
    assertEquals(viaJdk.length, n);
    assertArrayEquals(viaJdk, Arrays.copyOfRange(viaTransport, 3, 3 + n));

    byte[] opened = new byte[padded.length];
    assertEquals(padded.length, aead.open(key, counter, viaTransport, 3, n, opened, 0));
    assertArrayEquals(padded, opened);
  }

  @Property(tries = 200)
  void anyBitFlipIsRefused(@ForAll @Size(min = 1, max = 200) byte[] plain, @ForAll @IntRange(min = 0, max = 100_000) int where) {
    SecretKeySpec key = ChaChaPoly.key(new byte[32]);
    TransportAead aead = new TransportAead();
    byte[] sealed = new byte[plain.length + 16];
    aead.sealPadded(key, 1, plain, 0, plain.length, 0, sealed, 0);
    int bit = where % (sealed.length * 8);
    sealed[bit / 8] ^= (byte) (1 << (bit % 8));
    assertThrows(AEADBadTagException.class, () -> aead.open(key, 1, sealed, 0, sealed.length, new byte[plain.length], 0));
  }

  @Property(tries = 50)
  void wrongCounterIsRefused(@ForAll @Size(max = 100) byte[] plain, @ForAll long counter) {
    SecretKeySpec key = ChaChaPoly.key(new byte[32]);
    TransportAead aead = new TransportAead();
    byte[] sealed = new byte[plain.length + 16];
    aead.sealPadded(key, counter, plain, 0, plain.length, 0, sealed, 0);
    assertThrows(AEADBadTagException.class,
        () -> aead.open(key, counter + 1, sealed, 0, sealed.length, new byte[plain.length], 0));
  }
}
