package io.partynet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyTest {

  @Property
  void base64AndHexRoundTrip(@ForAll @Size(32) byte[] bytes) {
    Key key = Key.fromBytes(bytes);
    assertEquals(key, Key.fromBase64(key.toBase64()));
    assertEquals(key, Key.fromHex(key.toHex()));
    assertEquals(key, Key.fromHex(key.toHex().toUpperCase(java.util.Locale.ROOT)));
    assertArrayEquals(bytes, key.toBytes());
    assertEquals(Base64.getEncoder().encodeToString(bytes), key.toBase64());
    assertEquals(key.hashCode(), Key.fromBytes(bytes.clone()).hashCode());
    assertTrue(Key.isValidBase64(key.toBase64()));
  }

  @Property
  void toStringNeverShowsKeyMaterial(@ForAll @Size(32) byte[] bytes) {
    Key key = Key.fromBytes(bytes);
    String shown = key.toString();
    assertFalse(shown.contains(key.toBase64()));
    assertFalse(shown.contains(key.toBase64().substring(0, 8)));
    assertFalse(shown.contains(key.toHex().substring(0, 8)));
    assertEquals(Key.fromBytes(new byte[32]).toString(), shown, "every key prints the same");
  }

  @Property
  void keysAreCopiedInAndOut(@ForAll @Size(32) byte[] bytes) {
    byte[] original = bytes.clone();
    Key key = Key.fromBytes(bytes);
    bytes[0] ^= 1;
    key.toBytes()[1] ^= 1;
    assertArrayEquals(original, key.toBytes());
  }

  @Property
  void keysDifferingInOneBitAreNotEqual(@ForAll @Size(32) byte[] bytes, @ForAll("bit") int bit) {
    byte[] flipped = bytes.clone();
    flipped[bit / 8] ^= (byte) (1 << (bit % 8));
    assertNotEquals(Key.fromBytes(bytes), Key.fromBytes(flipped));
  }

  @Provide
  Arbitrary<Integer> bit() {
    return Arbitraries.integers().between(0, 255);
  }

  @Property
  void arbitraryTextIsAcceptedOnlyAsA32ByteKey(@ForAll("base64ish") String text) {
    try {
      Key key = Key.fromBase64(text);
      assertEquals(Key.LENGTH, key.toBytes().length, text);
      assertEquals(text.trim(), key.toBase64());
    } catch (IllegalArgumentException expected) {
      assertFalse(Key.isValidBase64(text));
    }
  }

  /** Text close to a key's base64 form, including 31- and 33-byte encodings. */
  @Provide
  Arbitrary<String> base64ish() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("ABCDEFabcdef0123456789+/=- _").ofMinLength(40).ofMaxLength(48),
        Arbitraries.bytes().array(byte[].class).ofMinSize(30).ofMaxSize(34)
            .map(b -> Base64.getEncoder().encodeToString(b)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBm=="})
  void base64OfThirtyOneBytesIsRejected(String text) {
    assertThrows(IllegalArgumentException.class, () -> Key.fromBase64(text));
    assertFalse(Key.isValidBase64(text));
  }

  @Test
  void zeroKeyIsRecognised() {
    assertTrue(Key.fromBytes(new byte[32]).isZero());
    byte[] one = new byte[32];
    one[31] = 1;
    assertFalse(Key.fromBytes(one).isZero());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk", "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk==", "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBm!=",
      "yAnz5TF-lXXJte14tji3zlMNq_hd2rYUIgJBgB3fBmk="})
  void malformedBase64IsRejected(String text) {
    assertThrows(IllegalArgumentException.class, () -> Key.fromBase64(text));
    assertFalse(Key.isValidBase64(text));
  }

  @Test
  void malformedHexAndLengthsAreRejected() {
    String hex = HexFormat.of().formatHex(new byte[32]);
    assertThrows(IllegalArgumentException.class, () -> Key.fromHex(hex.substring(2)));
    assertThrows(IllegalArgumentException.class, () -> Key.fromHex(hex.substring(1) + "g"));
    assertThrows(IllegalArgumentException.class, () -> Key.fromBytes(new byte[31]));
    assertThrows(IllegalArgumentException.class, () -> Key.fromBytes(new byte[33]));
  }
}
