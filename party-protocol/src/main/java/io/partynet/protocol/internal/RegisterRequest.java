package io.partynet.protocol.internal;

import io.partynet.Key;
import java.util.Objects;

/**
 * Body of {@code POST /v1/peers}: the peer id the client chose and its WireGuard public key.
 * Immutable and thread-safe; the constructor validates both fields.
 */
public record RegisterRequest(String peerId, String publicKey) {
  public RegisterRequest {
    Validation.requirePeerId(peerId);
    Objects.requireNonNull(publicKey, "publicKey");
    if (!Key.isValidBase64(publicKey)) {
      throw new IllegalArgumentException("publicKey must be a 44-character base64 WireGuard key");
    }
  }
}
