package io.partynet.protocol.internal;

import io.partynet.Names;
import java.util.regex.Pattern;

/**
 * Checks for the protocol's plain-string fields. Ids and names follow the API's own rules
 * ({@link Names}), so the server accepts exactly what the models accept; only the token's shape
 * is the protocol's own. Every failure is an {@link IllegalArgumentException} that names the
 * field. Stateless and thread-safe.
 */
public final class Validation {
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{" + Protocol.TOKEN_CHARS + "}");

  private Validation() {}

  public static String requirePeerId(String peerId) {
    if (!Names.isValidPeerId(peerId)) {
      throw new IllegalArgumentException("peerId must be 1.." + Names.MAX_PEER_ID + " characters of [A-Za-z0-9_-]");
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
}
