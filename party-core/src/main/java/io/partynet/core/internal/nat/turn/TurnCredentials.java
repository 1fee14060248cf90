package io.partynet.core.internal.nat.turn;

import java.util.Objects;

/**
 * Long-term TURN credentials (RFC 8489 section 9.2). The realm comes from the server. Immutable
 * and thread-safe; {@link #toString()} never shows the password.
 */
public record TurnCredentials(String username, String password) {
  public TurnCredentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (username.isEmpty() || username.length() > 256) {
      throw new IllegalArgumentException("TURN username must be 1..256 characters");
    }
  }

  @Override
  public String toString() {
    return "TurnCredentials[username=" + username + ", password=***]";
  }
}
