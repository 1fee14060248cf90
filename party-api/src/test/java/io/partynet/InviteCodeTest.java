package io.partynet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class InviteCodeTest {

  @Property
  void generatedCodesRoundTrip(@ForAll long seed) {
    String code = InviteCode.generate(new Random(seed));
    assertEquals(code, InviteCode.normalize(code));
    assertEquals(code, InviteCode.normalize(code.toLowerCase(Locale.ROOT).replace("-", " ")));
    assertTrue(code.matches("[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}"), code);
  }

  @Property
  void aSingleWrongSymbolIsCaught(@ForAll long seed, @ForAll @IntRange(min = 0, max = 10) int position,
      @ForAll @IntRange(min = 1, max = 30) int shift) {
    String code = InviteCode.generate(new Random(seed)).replace("-", "");
    int old = InviteCode.ALPHABET.indexOf(code.charAt(position));
    char replaced = InviteCode.ALPHABET.charAt((old + shift) % 32);
    String typo = code.substring(0, position) + replaced + code.substring(position + 1);
    // A shift of 31 between two symbols is the one blind spot of a mod-31 check.
    if (Math.abs(InviteCode.ALPHABET.indexOf(replaced) - old) != 31) {
      assertFalse(InviteCode.isValid(typo), typo);
    }
  }

  @Property
  void arbitraryTextIsRejectedWithTypedErrorOrAccepted(@ForAll("junk") String text) {
    try {
      String normalized = InviteCode.normalize(text);
      assertEquals(normalized, InviteCode.normalize(normalized));
    } catch (InvalidInviteCodeException expected) {
      assertEquals(PartyException.Reason.INVALID_INVITE_CODE, expected.reason());
    }
  }

  @Provide
  Arbitrary<String> junk() {
    return Arbitraries.strings().withChars("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ- _*é\n").ofMaxLength(60);
  }


  /** The code the javadoc, the error messages and the docs show as an example passes its own check. */
  @Test
  void theDocumentedExampleIsAValidCode() {
    assertEquals("7KQ2-M9XD-4RTX", InviteCode.normalize("7kq2 m9xd 4rtx"));
    assertThrows(InvalidInviteCodeException.class, () -> InviteCode.normalize("7KQ2-M9XD-4RTA"),
        "the old example had a wrong check symbol");
  }

  @Test
  void readAloudConfusionsAreForgiven() {
    String code = InviteCode.generate(new Random(7));
    String withLetters = code.replace('0', 'O').replace('1', 'I');
    assertEquals(code, InviteCode.normalize(withLetters));
  }

  @Test
  void malformedInputSaysWhatIsWrong() {
    assertThrows(InvalidInviteCodeException.class, () -> InviteCode.normalize(null));
    assertThrows(InvalidInviteCodeException.class, () -> InviteCode.normalize("ABCD"));
    InvalidInviteCodeException e =
        assertThrows(InvalidInviteCodeException.class, () -> InviteCode.normalize("ABCD-EFGH-JKU!"));
    assertTrue(e.getMessage().contains("cannot appear"), e.getMessage());
  }
}
