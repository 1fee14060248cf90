package io.partynet.protocol.internal;

import io.partynet.Key;
import java.util.Objects;

/**
 * Answer to {@code POST /v1/peers/challenge}: a fresh nonce and the server's X25519 key, which a
 * registering client combines with its WireGuard private key into a {@link KeyProof}. Immutable
 * and thread-safe.
 */
public record ChallengeResponse(String nonce, String serverKey) {
  public ChallengeResponse {
    KeyProof.requireNonceShape(nonce);
    Objects.requireNonNull(serverKey, "serverKey");
    if (!Key.isValidBase64(serverKey)) {
      throw new IllegalArgumentException("serverKey must be a 44-character base64 X25519 key");
    }
  }
}
