package io.partynet.protocol.internal;

/**
 * Answer to a registration: the bearer token to send in {@code Authorization: Bearer <token>}.
 * The server keeps only a hash of it. Immutable and thread-safe; {@link #toString()} hides the token.
 */
public record RegisterResponse(String peerId, String token) {
  public RegisterResponse {
    Validation.requirePeerId(peerId);
    Validation.requireTokenShape(token);
  }

  @Override
  public String toString() {
    return "RegisterResponse[peerId=" + peerId + ", token=<hidden>]";
  }
}
