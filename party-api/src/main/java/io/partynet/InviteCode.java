package io.partynet;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Random;

/**
 * Party ids are invite codes a person can read aloud: {@code 7KQ2-M9XD-4RTX}. Eleven random symbols
 * from Crockford's base32 alphabet (55 bits) and one check symbol, grouped by four. Input is
 * forgiving the way Crockford's scheme is: case, spaces and dashes are ignored, {@code O} reads as
 * {@code 0}, {@code I} and {@code L} read as {@code 1}; a typo is caught by the check symbol and
 * reported as {@link InvalidInviteCodeException}, not as "party not found".
 *
 * <p>Stateless and thread-safe.
 */
public final class InviteCode {
  /** Crockford's base32: no I, L, O, U, so nothing is confused when read aloud. */
  static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  static final int RANDOM_SYMBOLS = 11;
  static final int LENGTH = RANDOM_SYMBOLS + 1;
  private static final int MAX_INPUT = 40;
  private static final SecureRandom RANDOM = new SecureRandom();

  private InviteCode() {}

  /**
   * A new random code from a cryptographically strong source.
   *
   * @return the code in canonical form
   */
  public static String generate() {
    return generate(RANDOM);
  }

  /**
   * A new code from {@code random}; tests pass a seeded one.
   *
   * @param random the source of the eleven random symbols
   * @return the code in canonical form
   */
  public static String generate(Random random) {
    char[] symbols = new char[LENGTH];
    for (int i = 0; i < RANDOM_SYMBOLS; i++) {
      symbols[i] = ALPHABET.charAt(random.nextInt(32));
    }
    symbols[RANDOM_SYMBOLS] = checkSymbol(symbols, RANDOM_SYMBOLS);
    return format(symbols);
  }

  /**
   * Returns the canonical form of a code typed by a person.
   *
   * @param input the code as typed: case, spaces and dashes do not matter
   * @return the code as {@code XXXX-XXXX-XXXX}
   * @throws InvalidInviteCodeException when it is not a well-formed code
   */
  public static String normalize(String input) {
    if (input == null || input.isBlank()) {
      throw new InvalidInviteCodeException("an invite code is required");
    }
    if (input.length() > MAX_INPUT) {
      throw new InvalidInviteCodeException("an invite code has 12 symbols, like 7KQ2-M9XD-4RTX");
    }
    char[] symbols = new char[LENGTH];
    int n = 0;
    for (char raw : input.toUpperCase(Locale.ROOT).toCharArray()) {
      if (raw == '-' || raw == ' ') {
        continue;
      }
      char c = switch (raw) {
        case 'O' -> '0';
        case 'I', 'L' -> '1';
        default -> raw;
      };
      if (ALPHABET.indexOf(c) < 0) {
        throw new InvalidInviteCodeException("'" + raw + "' cannot appear in an invite code");
      }
      if (n == LENGTH) {
        throw new InvalidInviteCodeException("an invite code has 12 symbols, like 7KQ2-M9XD-4RTX");
      }
      symbols[n++] = c;
    }
    if (n != LENGTH) {
      throw new InvalidInviteCodeException("an invite code has 12 symbols, like 7KQ2-M9XD-4RTX");
    }
    if (checkSymbol(symbols, RANDOM_SYMBOLS) != symbols[RANDOM_SYMBOLS]) {
      throw new InvalidInviteCodeException("this invite code has a typo: check it with the host");
    }
    return format(symbols);
  }

  /**
   * Whether {@code input} normalizes to a valid code.
   *
   * @param input the code as typed
   * @return true when {@link #normalize} accepts it
   */
  public static boolean isValid(String input) {
    try {
      normalize(input);
      return true;
    } catch (InvalidInviteCodeException e) {
      return false;
    }
  }

  /** A position-weighted sum mod 31 (prime), so a single wrong symbol or a swap is detected. */
  private static char checkSymbol(char[] symbols, int count) {
    int sum = 0;
    for (int i = 0; i < count; i++) {
      sum += (i + 1) * ALPHABET.indexOf(symbols[i]);
    }
    return ALPHABET.charAt(sum % 31);
  }

  private static String format(char[] symbols) {
    String s = new String(symbols);
    return s.substring(0, 4) + "-" + s.substring(4, 8) + "-" + s.substring(8, 12);
  }
}
