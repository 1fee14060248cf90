package io.partynet.wireguard.embedded.internal.noise;

import io.partynet.wireguard.embedded.internal.crypto.X25519;

/**
 * The local static key pair. Immutable and thread-safe; {@link #toString()} hides the private key.
 */
public final class StaticIdentity {
  private final byte[] privateKey;
  private final byte[] publicKey;

  public StaticIdentity(byte[] privateKey) {
    if (privateKey.length != X25519.KEY_LENGTH) {
      throw new IllegalArgumentException("private key must be 32 bytes");
    }
    this.privateKey = privateKey.clone();
    this.publicKey = X25519.publicKey(this.privateKey);
  }

  byte[] privateKey() {
    return privateKey;
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public String toString() {
    return "StaticIdentity(private key hidden)";
  }
}
