package io.partynet.wireguard.embedded.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/**
 * {@link Poly1305} against RFC 8439's vectors (section 2.5.2 and every vector of appendix A.3,
 * whose numbers 5 to 11 aim at the carries and the final reduction that a 64-bit radix
 * implementation can get wrong) and against a {@link BigInteger} transcription of section 2.5 on
 * random keys and messages biased toward all-ones bytes, the values that make every carry run.
 */
class Poly1305Test {
  private static final HexFormat HEX = HexFormat.of();
  private static final BigInteger P = BigInteger.ONE.shiftLeft(130).subtract(BigInteger.valueOf(5));
  private static final BigInteger CLAMP = new BigInteger("0ffffffc0ffffffc0ffffffc0fffffff", 16);
  private static final String IETF_TEXT = "Any submission to the IETF intended by the Contributor for publication"
      + " as all or part of an IETF Internet-Draft or RFC and any statement made within the context of an IETF"
      + " activity is considered an \"IETF Contribution\". Such statements include oral statements in IETF"
      + " sessions, as well as written and electronic communications made at any time or place, which are"
      + " addressed to";
  private static final String JABBERWOCKY = "'Twas brillig, and the slithy toves\nDid gyre and gimble in the wabe:\n"
      + "All mimsy were the borogoves,\nAnd the mome raths outgrabe.";
  private static final String ZERO16 = "00000000000000000000000000000000";

  private static byte[] hex(String s) {
    return HEX.parseHex(s.replace(" ", ""));
  }

  /** RFC 8439 section 2.5.2. */
  @Test
  void rfc8439Section252() {
    byte[] key = hex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
    byte[] text = "Cryptographic Forum Research Group".getBytes(StandardCharsets.US_ASCII);
    assertEquals("a8061dc1305136c6c22b8baf0c0127a9", HEX.formatHex(tag(key, text)));
  }

  /** RFC 8439 appendix A.3, test vectors 1 to 4: zero keys, r = 0, s = 0, a generic key. */
  @Test
  void rfc8439AppendixA3Vectors1To4() {
    byte[] ietf = IETF_TEXT.getBytes(StandardCharsets.US_ASCII);
    assertEquals(375, ietf.length);
    assertEquals(ZERO16, HEX.formatHex(tag(new byte[32], new byte[64])));
    assertEquals("36e5f6b5c5e06070f0efca96227a863e",
        HEX.formatHex(tag(hex(ZERO16 + "36e5f6b5c5e06070f0efca96227a863e"), ietf)));
    assertEquals("f3477e7cd95417af89a6b8794c310cf0",
        HEX.formatHex(tag(hex("36e5f6b5c5e06070f0efca96227a863e" + ZERO16), ietf)));
    byte[] jabberwocky = JABBERWOCKY.getBytes(StandardCharsets.US_ASCII);
    assertEquals(127, jabberwocky.length);
    assertEquals("4541669a7eaaee61e708dc7cbcc5eb62",
        HEX.formatHex(tag(hex("1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0"), jabberwocky)));
  }

  /** RFC 8439 appendix A.3 vector 5: a partially reduced final result that is not fully reduced. */
  @Test
  void rfc8439AppendixA3Vector5() {
    assertVector("02000000000000000000000000000000", ZERO16, "ffffffffffffffffffffffffffffffff",
        "03000000000000000000000000000000");
  }

  /** RFC 8439 appendix A.3 vector 6: adding s overflows modulo 2^128. */
  @Test
  void rfc8439AppendixA3Vector6() {
    assertVector("02000000000000000000000000000000", "ffffffffffffffffffffffffffffffff",
        "02000000000000000000000000000000", "03000000000000000000000000000000");
  }

  /** RFC 8439 appendix A.3 vector 7: a data limb of all ones with a carry from the lower limb. */
  @Test
  void rfc8439AppendixA3Vector7() {
    assertVector("01000000000000000000000000000000", ZERO16,
        "ffffffffffffffffffffffffffffffff f0ffffffffffffffffffffffffffffff 11000000000000000000000000000000",
        "05000000000000000000000000000000");
  }

  /** RFC 8439 appendix A.3 vector 8: the polynomial part is exactly 2^130 - 5. */
  @Test
  void rfc8439AppendixA3Vector8() {
    assertVector("01000000000000000000000000000000", ZERO16,
        "ffffffffffffffffffffffffffffffff fbfefefefefefefefefefefefefefefe 01010101010101010101010101010101",
        ZERO16);
  }

  /** RFC 8439 appendix A.3 vector 9: the polynomial part is exactly 2^130 - 6. */
  @Test
  void rfc8439AppendixA3Vector9() {
    assertVector("02000000000000000000000000000000", ZERO16, "fdffffffffffffffffffffffffffffff",
        "faffffffffffffffffffffffffffffff");
  }

  /** RFC 8439 appendix A.3 vector 10: the 5*H+L reduction produces a 131-bit intermediate result. */
  @Test
  void rfc8439AppendixA3Vector10() {
    assertVector("01000000000000000400000000000000", ZERO16,
        "e33594d7505e43b90000000000000000 3394d7505e4379cd0100000000000000"
            + " 00000000000000000000000000000000 01000000000000000000000000000000",
        "14000000000000005500000000000000");
  }

  /** RFC 8439 appendix A.3 vector 11: the 5*H+L reduction produces a 131-bit final result. */
  @Test
  void rfc8439AppendixA3Vector11() {
    assertVector("01000000000000000400000000000000", ZERO16,
        "e33594d7505e43b90000000000000000 3394d7505e4379cd0100000000000000 00000000000000000000000000000000",
        "13000000000000000000000000000000");
  }

  private static void assertVector(String r, String s, String data, String expectedTag) {
    byte[] message = hex(data);
    byte[] key = hex(r + s);
    assertEquals(expectedTag, HEX.formatHex(tag(key, message)));
    assertEquals(expectedTag, HEX.formatHex(reference(key, message)), "the reference itself");
  }

  /** The AEAD's form (zero-padded blocks, then the lengths block) equals section 2.5 on the padded input. */
  @Property(tries = 500)
  void paddedFormMatchesTheReference(@ForAll("keys") byte[] key, @ForAll("messages") byte[] message,
      @ForAll("lengths") long aadLength, @ForAll("lengths") long ciphertextLength) {
    Poly1305 poly = new Poly1305();
    poly.init(keyWords(key));
    poly.updatePadded(message, 0, message.length);
    poly.updateLengths(aadLength, ciphertextLength);
    byte[] actual = new byte[16];
    poly.finish(actual, 0);

    ByteBuffer padded = ByteBuffer.allocate(((message.length + 15) & ~15) + 16).order(ByteOrder.LITTLE_ENDIAN);
    padded.put(message).position(padded.capacity() - 16);
    padded.putLong(aadLength).putLong(ciphertextLength);
    assertArrayEquals(reference(key, padded.array()), actual);
  }

  /** The general form of section 2.5 (a short final block gets a 0x01 byte, not the 2^128 bit). */
  @Property(tries = 500)
  void generalFormMatchesTheReference(@ForAll("keys") byte[] key, @ForAll("messages") byte[] message) {
    assertArrayEquals(reference(key, message), tag(key, message));
  }

  /** The longest run of the largest values: all-ones key and blocks keep the accumulator at its bound. */
  @Test
  void longAllOnesMessageUnderAllOnesKey() {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 0xff);
    byte[] message = new byte[16 * 4096];
    Arrays.fill(message, (byte) 0xff);
    assertArrayEquals(reference(key, message), tag(key, message));
  }

  @Provide
  Arbitrary<byte[]> keys() {
    byte[] allOnes = new byte[32];
    Arrays.fill(allOnes, (byte) 0xff);
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.bytes().array(byte[].class).ofSize(32)),
        Tuple.of(2, Arbitraries.just(allOnes)),
        Tuple.of(2, edgeBytes().array(byte[].class).ofSize(32)));
  }

  @Provide
  Arbitrary<byte[]> messages() {
    Arbitrary<byte[]> blocks = Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofSize(16),
        Arbitraries.just(filled(0xff)),
        Arbitraries.just(filled(0x00)),
        edgeBytes().array(byte[].class).ofSize(16));
    return blocks.list().ofMaxSize(40).flatMap(list -> {
      byte[] joined = concat(list);
      return Arbitraries.integers().between(0, joined.length).map(length -> Arrays.copyOf(joined, length));
    });
  }

  @Provide
  Arbitrary<Long> lengths() {
    return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(0L, -1L, 1420L, Long.MAX_VALUE, Long.MIN_VALUE));
  }

  private static Arbitrary<Byte> edgeBytes() {
    return Arbitraries.of((byte) 0xff, (byte) 0xff, (byte) 0xfe, (byte) 0xfb, (byte) 0x00, (byte) 0x01, (byte) 0x05);
  }

  private static byte[] filled(int value) {
    byte[] block = new byte[16];
    Arrays.fill(block, (byte) value);
    return block;
  }

  private static byte[] concat(List<byte[]> blocks) {
    ByteBuffer joined = ByteBuffer.allocate(16 * blocks.size());
    blocks.forEach(joined::put);
    return joined.array();
  }

  /** RFC 8439 section 2.5 on any message, through {@link Poly1305}: a short final block gets 0x01 appended. */
  private static byte[] tag(byte[] key, byte[] message) {
    Poly1305 poly = new Poly1305();
    poly.init(keyWords(key));
    int full = message.length & ~15;
    poly.updatePadded(message, 0, full);
    int rest = message.length - full;
    if (rest > 0) {
      byte[] last = Arrays.copyOfRange(message, full, full + 16);
      last[rest] = 1;
      poly.absorb(last, 0, 16, 0);
    }
    byte[] tag = new byte[16];
    poly.finish(tag, 0);
    return tag;
  }

  private static int[] keyWords(byte[] key) {
    int[] words = new int[8];
    ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(words);
    return words;
  }

  private static BigInteger littleEndian(byte[] bytes, int from, int to) {
    byte[] bigEndian = new byte[to - from + 1];
    for (int i = from; i < to; i++) {
      bigEndian[to - i] = bytes[i];
    }
    return new BigInteger(bigEndian);
  }

  /** RFC 8439 section 2.5.1 transcribed with unbounded integers. */
  private static byte[] reference(byte[] key, byte[] message) {
    BigInteger r = littleEndian(key, 0, 16).and(CLAMP);
    BigInteger s = littleEndian(key, 16, 32);
    BigInteger accumulator = BigInteger.ZERO;
    for (int i = 0; i < message.length; i += 16) {
      int end = Math.min(i + 16, message.length);
      BigInteger n = littleEndian(message, i, end).setBit(8 * (end - i));
      accumulator = accumulator.add(n).multiply(r).mod(P);
    }
    byte[] bigEndian = accumulator.add(s).toByteArray();
    byte[] tag = new byte[16];
    for (int i = 0; i < 16 && i < bigEndian.length; i++) {
      tag[i] = bigEndian[bigEndian.length - 1 - i];
    }
    return tag;
  }
}
