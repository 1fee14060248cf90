package io.partynet.wireguard.embedded.internal.noise;

import java.util.Arrays;

/**
 * The handshake state WireGuard keeps per peer: the running hash and chaining key, the ephemeral
 * key, indices, and the latest initiation timestamp (replay protection of initiations).
 *
 * <p>Not thread-safe: the device guards it with the peer's lock.
 */
public final class Handshake {
  /** Where the handshake is, as in wireguard-go's handshakeState. */
  public enum State { ZEROED, INITIATION_CREATED, INITIATION_CONSUMED, RESPONSE_CREATED, RESPONSE_CONSUMED }

  private final byte[] remoteStatic;
  private final byte[] presharedKey;
  private final byte[] precomputedStaticStatic;
  private State state = State.ZEROED;
  private byte[] hash;
  private byte[] chainKey;
  private byte[] localEphemeral;
  private byte[] remoteEphemeral;
  private int localIndex;
  private int remoteIndex;
  private byte[] latestTimestamp;
  private long lastInitiationConsumedNanos = Long.MIN_VALUE;

  public Handshake(StaticIdentity local, byte[] remoteStatic, byte[] presharedKey) throws HandshakeException {
    this.remoteStatic = remoteStatic.clone();
    this.presharedKey = presharedKey == null ? new byte[32] : presharedKey.clone();
    this.precomputedStaticStatic = Noise.dh(local.privateKey(), this.remoteStatic);
  }

  public State state() {
    return state;
  }

  public int localIndex() {
    return localIndex;
  }

  public int remoteIndex() {
    return remoteIndex;
  }

  byte[] remoteStatic() {
    return remoteStatic;
  }

  byte[] presharedKey() {
    return presharedKey;
  }

  byte[] precomputedStaticStatic() {
    return precomputedStaticStatic;
  }

  byte[] hash() {
    return hash;
  }

  byte[] chainKey() {
    return chainKey;
  }

  byte[] localEphemeral() {
    return localEphemeral;
  }

  byte[] remoteEphemeral() {
    return remoteEphemeral;
  }

  /**
   * Applies a consumed initiation unless it is a replay (timestamp not newer than the latest) or
   * comes faster than one per {@link Timing#HANDSHAKE_INITIATION_RATE}.
   */
  public void acceptInitiation(Noise.ConsumedInitiation init, long nowNanos) throws HandshakeException {
    if (!Tai64n.isAfter(init.timestamp(), latestTimestamp)) {
      throw new HandshakeException("replayed handshake initiation (timestamp not newer)");
    }
    if (lastInitiationConsumedNanos != Long.MIN_VALUE
        && nowNanos - lastInitiationConsumedNanos <= Timing.HANDSHAKE_INITIATION_RATE) {
      throw new HandshakeException("handshake initiation flood");
    }
    latestTimestamp = init.timestamp();
    lastInitiationConsumedNanos = nowNanos;
    hash = init.hash();
    chainKey = init.chainKey();
    remoteEphemeral = init.remoteEphemeral();
    remoteIndex = init.senderIndex();
    localEphemeral = null;
    state = State.INITIATION_CONSUMED;
  }

  void initiationCreated(byte[] hash, byte[] chainKey, byte[] ephemeralPrivate, int localIndex) {
    this.hash = hash;
    this.chainKey = chainKey;
    this.localEphemeral = ephemeralPrivate;
    this.localIndex = localIndex;
    this.state = State.INITIATION_CREATED;
  }

  void responseCreated(byte[] hash, byte[] chainKey, int localIndex) {
    this.hash = hash;
    this.chainKey = chainKey;
    this.localIndex = localIndex;
    this.state = State.RESPONSE_CREATED;
  }

  void responseConsumed(byte[] hash, byte[] chainKey, int remoteIndex) {
    this.hash = hash;
    this.chainKey = chainKey;
    this.remoteIndex = remoteIndex;
    this.state = State.RESPONSE_CONSUMED;
  }

  /** Forgets the session secrets (keeps the replay timestamp, as WireGuard does). */
  public void clear() {
    wipe(hash);
    wipe(chainKey);
    wipe(localEphemeral);
    hash = null;
    chainKey = null;
    localEphemeral = null;
    remoteEphemeral = null;
    state = State.ZEROED;
  }

  private static void wipe(byte[] b) {
    if (b != null) {
      Arrays.fill(b, (byte) 0);
    }
  }
}
