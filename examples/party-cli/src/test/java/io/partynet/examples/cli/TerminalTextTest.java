package io.partynet.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class TerminalTextTest {

  @Test
  void escapeSequencesControlCharactersAndBidiOverridesAreShownNotObeyed() {
    assertEquals("\\x1b]0;pwned\\x07\\x1b[2Jeve", TerminalText.safe("\u001b]0;pwned\u0007\u001b[2Jeve"));
    assertEquals("bob\\x0dalice", TerminalText.safe("bob\ralice"));
    assertEquals("\\x9b31m", TerminalText.safe("\u009b31m"), "the 8-bit CSI is a control character too");
    assertEquals("exe.\\u202etxt", TerminalText.safe("exe.\u202etxt"));
    assertEquals("bad\\ud800byte", TerminalText.safe("bad\ud800byte"), "an unpaired surrogate is not text");
  }

  @Test
  void ordinaryTextOfAnyScriptIsUntouched() {
    for (String text : new String[] {"alice", "Zoë", "小明", "игрок 1", "🎮 gamer", "a-b_c.d"}) {
      assertEquals(text, TerminalText.safe(text));
    }
    assertEquals("-", TerminalText.safe(null));
  }

  @Property
  void nothingUnsafeSurvives(@ForAll String text) {
    String safe = TerminalText.safe(text);
    for (int i = 0; i < safe.length(); i++) {
      char c = safe.charAt(i);
      assertTrue(!Character.isISOControl(c) && !(c >= '\u202a' && c <= '\u202e') && !(c >= '\u2066' && c <= '\u2069'),
          () -> "unsafe character left in " + safe);
      if (Character.isHighSurrogate(c)) {
        assertTrue(i + 1 < safe.length() && Character.isLowSurrogate(safe.charAt(++i)), "paired");
      } else {
        assertTrue(!Character.isLowSurrogate(c), "no lone low surrogate");
      }
    }
  }
}
