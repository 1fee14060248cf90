package io.partynet.examples.cli;

/**
 * Makes text from elsewhere (the control plane server, other members, error messages that quote
 * them) safe to print on a terminal: control characters (C0, DEL, C1 - the ESC of every escape
 * sequence, carriage returns that overwrite a line, bells), Unicode bidirectional overrides and
 * isolates (which reorder what the reader sees), and unpaired surrogates (bytes that were not
 * valid text) are shown escaped, e.g. {@code \x1b} or {@code \u202e}, so nothing a peer chooses
 * can move the cursor, recolour, retitle or disguise the output. Stateless and thread-safe.
 */
final class TerminalText {
  private TerminalText() {}

  /** {@code text} with every unsafe character escaped; null becomes "-". */
  static String safe(String text) {
    if (text == null) {
      return "-";
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean pairedSurrogate = Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1));
      if (pairedSurrogate) {
        if (out != null) {
          out.append(c).append(text.charAt(i + 1));
        }
        i++;
        continue;
      }
      if (isUnsafe(c)) {
        if (out == null) {
          out = new StringBuilder(text.length() + 8).append(text, 0, i);
        }
        out.append(c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  private static boolean isUnsafe(char c) {
    return Character.isISOControl(c) || Character.isSurrogate(c)
        || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
        || c == '\u200e' || c == '\u200f' || c == '\u061c';
  }
}
