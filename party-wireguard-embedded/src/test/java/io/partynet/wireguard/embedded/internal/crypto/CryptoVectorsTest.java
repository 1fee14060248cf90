package io.partynet.wireguard.embedded.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.junit.jupiter.api.Test;

/** Every primitive against the vectors its standard publishes; each vector names its section. */
class CryptoVectorsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String SUNSCREEN = "Ladies and Gentlemen of the class of '99: If I could offer you only one"
      + " tip for the future, sunscreen would be it.";

  private static byte[] hex(String s) {
    return HEX.parseHex(s.replace(" ", ""));
  }

  /** RFC 7693 Appendix B: BLAKE2s-256("abc"). */
  @Test
  void blake2sAbc() {
    assertEquals("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982",
        HEX.formatHex(Blake2s.hash("abc".getBytes(StandardCharsets.US_ASCII))));
  }

  /**
   * RFC 7693 Appendix E: the self-test hashes keyed and unkeyed BLAKE2s of Fibonacci-generated
   * inputs for digest lengths 16/20/28/32 and input lengths 0..1024, and compares the BLAKE2s-256 of
   * all results with {@code blake2s_res}.
   */
  @Test
  void blake2sRfcSelfTest() {
    int[] digestLengths = {16, 20, 28, 32};
    int[] inputLengths = {0, 3, 64, 65, 255, 1024};
    Blake2sDigest grand = new Blake2sDigest(256);
    for (int outLength : digestLengths) {
      for (int inLength : inputLengths) {
        byte[] in = selftestSequence(inLength, inLength);
        byte[] unkeyed = Blake2s.keyedHash(new byte[0], outLength, in, 0, in.length);
        grand.update(unkeyed, 0, unkeyed.length);
        byte[] keyed = Blake2s.keyedHash(selftestSequence(outLength, outLength), outLength, in, 0, in.length);
        grand.update(keyed, 0, keyed.length);
      }
    }
    byte[] result = new byte[32];
    grand.doFinal(result, 0);
    assertEquals("6a411f08ce25adcdfb02aba641451cec53c598b24f4fc787fbdc88797f4c1dfe", HEX.formatHex(result));
  }

  private static byte[] selftestSequence(int length, int seed) {
    byte[] out = new byte[length];
    int a = 0xDEAD4BAD * seed;
    int b = 1;
    for (int i = 0; i < length; i++) {
      int t = a + b;
      a = b;
      b = t;
      out[i] = (byte) (t >>> 24);
    }
    return out;
  }

  /** RFC 7748 section 5.2, first X25519 test vector. */
  @Test
  void x25519Rfc7748Section52() throws InvalidKeyException {
    byte[] scalar = hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
    byte[] u = hex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c");
    assertEquals("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552",
        HEX.formatHex(X25519.sharedSecret(scalar, u)));
  }

  /** RFC 7748 section 6.1: Alice's and Bob's key pairs and their shared secret. */
  @Test
  void x25519Rfc7748Section61() throws InvalidKeyException {
    byte[] alice = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    byte[] bob = hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
        HEX.formatHex(X25519.publicKey(alice)));
    assertEquals("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
        HEX.formatHex(X25519.publicKey(bob)));
    String shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
    assertEquals(shared, HEX.formatHex(X25519.sharedSecret(alice, X25519.publicKey(bob))));
    assertEquals(shared, HEX.formatHex(X25519.sharedSecret(bob, X25519.publicKey(alice))));
  }

  @Test
  void x25519RejectsLowOrderPoint() {
    byte[] alice = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    assertThrows(InvalidKeyException.class, () -> X25519.sharedSecret(alice, new byte[32]));
  }

  /** RFC 8439 section 2.8.2: AEAD_CHACHA20_POLY1305 encryption, and tampering detected. */
  @Test
  void chachaPolyRfc8439Section282() throws AEADBadTagException {
    SecretKeySpec key = ChaChaPoly.key(hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"));
    byte[] nonce = hex("070000004041424344454647");
    byte[] aad = hex("50515253c0c1c2c3c4c5c6c7");
    byte[] plain = SUNSCREEN.getBytes(StandardCharsets.US_ASCII);
    byte[] sealed = new byte[plain.length + 16];
    ChaChaPoly aead = new ChaChaPoly();
    aead.sealWithNonce(key, nonce, aad, plain, 0, plain.length, sealed, 0);
    assertEquals("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
        + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
        + "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
        + "3ff4def08e4b7a9de576d26586cec64b6116" + "1ae10b594f09e26a7e902ecbd0600691", HEX.formatHex(sealed));
    byte[] opened = new byte[plain.length];
    assertEquals(plain.length, aead.openWithNonce(key, nonce, aad, sealed, sealed.length, opened, 0));
    assertArrayEquals(plain, opened);
    sealed[3] ^= 1;
    assertThrows(AEADBadTagException.class, () -> aead.openWithNonce(key, nonce, aad, sealed, sealed.length, opened, 0));
  }

  /** WireGuard's nonce layout: 4 zero bytes then the counter little-endian. */
  @Test
  void chachaPolyCounterNonceMatchesRawNonce() throws AEADBadTagException {
    SecretKeySpec key = ChaChaPoly.key(new byte[32]);
    byte[] plain = "payload".getBytes(StandardCharsets.US_ASCII);
    byte[] viaCounter = new byte[plain.length + 16];
    byte[] viaNonce = new byte[plain.length + 16];
    ChaChaPoly aead = new ChaChaPoly();
    aead.seal(key, 0x0102030405060708L, null, plain, 0, plain.length, viaCounter, 0);
    new ChaChaPoly().sealWithNonce(key, hex("000000000807060504030201"), null, plain, 0, plain.length, viaNonce, 0);
    assertArrayEquals(viaNonce, viaCounter);
    byte[] back = new byte[plain.length];
    aead.open(key, 0x0102030405060708L, null, viaCounter, viaCounter.length, back, 0);
    assertArrayEquals(plain, back);
  }

  /** draft-irtf-cfrg-xchacha-03 section 2.2.1: HChaCha20 test vector. */
  @Test
  void hChaCha20DraftSection221() {
    byte[] key = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    byte[] nonce = hex("000000090000004a0000000031415927");
    assertEquals("82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc",
        HEX.formatHex(XChaChaPoly.hChaCha20(key, nonce)));
  }

  /** draft-irtf-cfrg-xchacha-03 appendix A.3.1: AEAD_XChaCha20_Poly1305. */
  @Test
  void xChaChaPolyDraftAppendixA31() throws AEADBadTagException {
    byte[] key = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    byte[] nonce = hex("404142434445464748494a4b4c4d4e4f5051525354555657");
    byte[] aad = hex("50515253c0c1c2c3c4c5c6c7");
    byte[] plain = SUNSCREEN.getBytes(StandardCharsets.US_ASCII);
    byte[] sealed = XChaChaPoly.seal(key, nonce, aad, plain);
    assertEquals("bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb"
        + "731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452"
        + "2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
        + "21f9664c97637da9768812f615c68b13b52e" + "c0875924c1c7987947deafd8780acf49", HEX.formatHex(sealed));
    assertArrayEquals(plain, XChaChaPoly.open(key, nonce, aad, sealed));
    sealed[0] ^= 1;
    assertThrows(AEADBadTagException.class, () -> XChaChaPoly.open(key, nonce, aad, sealed));
  }

  /** A nonce whose first word is 0xffffffff puts the JDK's ChaCha20 counter at its last block. */
  @Test
  void xChaChaPolyWorksWithMaximalCounterWord() throws AEADBadTagException {
    byte[] key = new byte[32];
    byte[] nonce = new byte[24];
    for (int i = 0; i < 4; i++) {
      nonce[i] = (byte) 0xff;
    }
    byte[] plain = new byte[16];
    assertArrayEquals(plain, XChaChaPoly.open(key, nonce, null, XChaChaPoly.seal(key, nonce, null, plain)));
  }
}
