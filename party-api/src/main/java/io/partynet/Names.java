package io.partynet;

/** Validation of human-chosen names (party and peer names) that travel over the network. */
final class Names {
  static final int MAX_PEER_NAME = 32;
  static final int MAX_PARTY_NAME = 64;

  private Names() {}

  static String requireValid(String kind, String name, int max) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(kind + " must not be blank");
    }
    String trimmed = name.strip();
    if (trimmed.codePointCount(0, trimmed.length()) > max) {
      throw new IllegalArgumentException(kind + " must be at most " + max + " characters");
    }
    for (int i = 0; i < trimmed.length(); i++) {
      if (Character.isISOControl(trimmed.charAt(i))) {
        throw new IllegalArgumentException(kind + " must not contain control characters");
      }
    }
    return trimmed;
  }
}
