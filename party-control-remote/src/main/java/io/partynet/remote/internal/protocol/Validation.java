package io.partynet.remote.internal.protocol;

import java.util.regex.Pattern;

/**
 * Checks for the protocol's plain-string fields; the models in party-api validate themselves.
 * Every failure is an {@link IllegalArgumentException} that names the field. Stateless and thread-safe.
 */
public final class Validation {
  private static final Pattern PEER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{" + Protocol.TOKEN_CHARS + "}");
  private static final int MAX_PARTY_NAME = 64;

  private Validation() {}

  public static String requirePeerId(String peerId) {
    if (peerId == null || !PEER_ID.matcher(peerId).matches()) {
      throw new IllegalArgumentException("peerId must be 1..64 characters of [A-Za-z0-9_-]");
    }
    return peerId;
  }

  public static boolean isTokenShape(String token) {
    return token != null && TOKEN.matcher(token).matches();
  }

  public static String requireTokenShape(String token) {
    if (!isTokenShape(token)) {
      throw new IllegalArgumentException("token must be " + Protocol.TOKEN_CHARS + " base64url characters");
    }
    return token;
  }

  public static String requirePartyName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("party name must not be blank");
    }
    String trimmed = name.strip();
    if (trimmed.codePointCount(0, trimmed.length()) > MAX_PARTY_NAME) {
      throw new IllegalArgumentException("party name must be at most " + MAX_PARTY_NAME + " characters");
    }
    if (trimmed.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("party name must not contain control characters");
    }
    return trimmed;
  }
}
