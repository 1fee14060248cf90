package io.partynet.protocol.internal;

import io.partynet.Key;
import java.util.Objects;

/**
 * Body of {@code POST /v1/peers}: the peer id the client chose, its WireGuard public key, and the
 * proof that it holds the private key ({@link KeyProof}) over the nonce of a challenge.
 * Immutable and thread-safe; the constructor validates every field.
 */
public record RegisterRequest(String peerId, String publicKey, String nonce, String proof) {
  public RegisterRequest {
    Validation.requirePeerId(peerId);
    KeyProof.requireNonceShape(nonce);
    KeyProof.requireProofShape(proof);
    Objects.requireNonNull(publicKey, "publicKey");
    if (!Key.isValidBase64(publicKey)) {
      throw new IllegalArgumentException("publicKey must be a 44-character base64 WireGuard key");
    }
  }
}
