package io.partynet.core.internal.keys;

import io.partynet.Key;
import java.util.Objects;

/**
 * A member's WireGuard identity: the private key, which never leaves the device, and the public
 * key that peers are told. {@link #toString()} shows only the public key.
 *
 * <p>Immutable and thread-safe.
 */
public record WireGuardKeyPair(Key privateKey, Key publicKey) {
  public WireGuardKeyPair {
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(publicKey, "publicKey");
  }

  @Override
  public String toString() {
    return "WireGuardKeyPair(public " + publicKey.toBase64() + ")";
  }
}
