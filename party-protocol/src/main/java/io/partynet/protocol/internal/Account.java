package io.partynet.protocol.internal;

import java.util.List;

/**
 * Answer to {@code GET /v1/peers/me}: who the token belongs to and which parties that peer is in.
 * Immutable and thread-safe.
 */
public record Account(String peerId, String publicKey, List<String> parties) {
  public Account {
    Validation.requirePeerId(peerId);
    parties = List.copyOf(parties == null ? List.of() : parties);
  }
}
