package io.partynet;

import java.util.regex.Pattern;

/**
 * The rules for identifiers and human-chosen names that travel over the network: the models
 * ({@link Peer}, {@link Party}, {@link PartyConfig}) and the control-plane protocol apply these
 * same rules, so a name one side accepts the other side accepts too. Every failure is an
 * {@link IllegalArgumentException} that names what was wrong. Stateless and thread-safe.
 */
public final class Names {
  /** Longest peer (display) name, in code points. */
  public static final int MAX_PEER_NAME = 32;
  /** Longest party name, in code points. */
  public static final int MAX_PARTY_NAME = 64;
  /** Longest peer id, in characters. */
  public static final int MAX_PEER_ID = 64;

  private static final Pattern PEER_ID = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_PEER_ID + "}");

  private Names() {}

  /** Whether {@code peerId} is 1..64 characters of {@code [A-Za-z0-9_-]}. */
  public static boolean isValidPeerId(String peerId) {
    return peerId != null && PEER_ID.matcher(peerId).matches();
  }

  /** Returns {@code peerId} if valid, else throws. */
  public static String requirePeerId(String peerId) {
    if (!isValidPeerId(peerId)) {
      throw new IllegalArgumentException(
          "peer id must be 1.." + MAX_PEER_ID + " characters of [A-Za-z0-9_-]: " + peerId);
    }
    return peerId;
  }

  /** Returns the stripped peer name: 1..32 characters, not blank, no control characters. */
  public static String requirePeerName(String name) {
    return requireValid("peer name", name, MAX_PEER_NAME);
  }

  /** Returns the stripped party name: 1..64 characters, not blank, no control characters. */
  public static String requirePartyName(String name) {
    return requireValid("party name", name, MAX_PARTY_NAME);
  }

  private static String requireValid(String kind, String name, int max) {
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
