package io.partynet.wireguard.embedded.internal.noise;

import io.partynet.wireguard.embedded.internal.crypto.Blake2s;
import io.partynet.wireguard.embedded.internal.crypto.ChaChaPoly;
import io.partynet.wireguard.embedded.internal.crypto.Kdf;
import io.partynet.wireguard.embedded.internal.crypto.X25519;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;

/**
 * The Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s handshake as WireGuard specifies it (paper section 5.4.2
 * and 5.4.3): creating and consuming initiations and responses, and deriving the transport keypair
 * (section 5.4.5). Message bytes are laid out as {@link Messages} says; MAC1/MAC2 are added and
 * checked by {@link CookieGenerator} and {@link CookieChecker}.
 *
 * <p>Stateless apart from the per-peer {@link Handshake} passed in; callers serialize access to a
 * handshake (the device holds the peer's lock).
 */
public final class Noise {
  static final byte[] CONSTRUCTION = "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s".getBytes(StandardCharsets.US_ASCII);
  static final byte[] IDENTIFIER = "WireGuard v1 zx2c4 Jason@zx2c4.com".getBytes(StandardCharsets.US_ASCII);
  static final byte[] INITIAL_CHAIN_KEY = Blake2s.hash(CONSTRUCTION);
  static final byte[] INITIAL_HASH = Blake2s.hash(INITIAL_CHAIN_KEY, IDENTIFIER);
  private static final byte[] EMPTY = new byte[0];

  private Noise() {}

  /** What a valid initiation revealed; the device checks replay and flooding before applying it. */
  public record ConsumedInitiation(byte[] peerStatic, int senderIndex, byte[] remoteEphemeral, byte[] timestamp,
      byte[] hash, byte[] chainKey) {}

  /** Writes a 148-byte initiation (MACs left zero) and moves {@code hs} to INITIATION_CREATED. */
  public static byte[] createInitiation(StaticIdentity local, Handshake hs, int localIndex, Instant now,
      SecureRandom random) throws HandshakeException {
    byte[] msg = new byte[Messages.INITIATION_LENGTH];
    Messages.header(msg, Messages.TYPE_INITIATION);
    Messages.putIntLe(msg, 4, localIndex);
    byte[] hash = mixHash(INITIAL_HASH, hs.remoteStatic());
    byte[] ephemeralPrivate = X25519.generatePrivateKey(random);
    byte[] ephemeralPublic = X25519.publicKey(ephemeralPrivate);
    System.arraycopy(ephemeralPublic, 0, msg, 8, 32);
    hash = mixHash(hash, ephemeralPublic);
    byte[] chainKey = mixKey(INITIAL_CHAIN_KEY, ephemeralPublic);

    byte[][] ck = Kdf.derive(2, chainKey, dh(ephemeralPrivate, hs.remoteStatic()));
    chainKey = ck[0];
    seal(ck[1], hash, local.publicKey(), msg, 40);
    hash = mixHash(hash, Arrays.copyOfRange(msg, 40, 88));

    ck = Kdf.derive(2, chainKey, hs.precomputedStaticStatic());
    chainKey = ck[0];
    seal(ck[1], hash, Tai64n.of(now), msg, 88);
    hash = mixHash(hash, Arrays.copyOfRange(msg, 88, 116));

    hs.initiationCreated(hash, chainKey, ephemeralPrivate, localIndex);
    return msg;
  }

  /** Decrypts an initiation addressed to {@code local}; the caller finds the peer by its static key. */
  public static ConsumedInitiation consumeInitiation(StaticIdentity local, byte[] msg, int off)
      throws HandshakeException {
    int senderIndex = Messages.getIntLe(msg, off + 4);
    byte[] ephemeral = Arrays.copyOfRange(msg, off + 8, off + 40);
    byte[] hash = mixHash(INITIAL_HASH, local.publicKey());
    hash = mixHash(hash, ephemeral);
    byte[] chainKey = mixKey(INITIAL_CHAIN_KEY, ephemeral);

    byte[][] ck = Kdf.derive(2, chainKey, dh(local.privateKey(), ephemeral));
    chainKey = ck[0];
    byte[] staticCiphertext = Arrays.copyOfRange(msg, off + 40, off + 88);
    byte[] peerStatic = open(ck[1], hash, staticCiphertext);
    hash = mixHash(hash, staticCiphertext);

    ck = Kdf.derive(2, chainKey, dh(local.privateKey(), peerStatic));
    chainKey = ck[0];
    byte[] timestampCiphertext = Arrays.copyOfRange(msg, off + 88, off + 116);
    byte[] timestamp = open(ck[1], hash, timestampCiphertext);
    hash = mixHash(hash, timestampCiphertext);
    return new ConsumedInitiation(peerStatic, senderIndex, ephemeral, timestamp, hash, chainKey);
  }

  /** Writes a 92-byte response to the initiation {@code hs} consumed (MACs left zero). */
  public static byte[] createResponse(Handshake hs, int localIndex, SecureRandom random) throws HandshakeException {
    if (hs.state() != Handshake.State.INITIATION_CONSUMED) {
      throw new HandshakeException("no consumed initiation to respond to");
    }
    byte[] msg = new byte[Messages.RESPONSE_LENGTH];
    Messages.header(msg, Messages.TYPE_RESPONSE);
    Messages.putIntLe(msg, 4, localIndex);
    Messages.putIntLe(msg, 8, hs.remoteIndex());
    byte[] ephemeralPrivate = X25519.generatePrivateKey(random);
    byte[] ephemeralPublic = X25519.publicKey(ephemeralPrivate);
    System.arraycopy(ephemeralPublic, 0, msg, 12, 32);
    byte[] hash = mixHash(hs.hash(), ephemeralPublic);
    byte[] chainKey = mixKey(hs.chainKey(), ephemeralPublic);
    chainKey = mixKey(chainKey, dh(ephemeralPrivate, hs.remoteEphemeral()));
    chainKey = mixKey(chainKey, dh(ephemeralPrivate, hs.remoteStatic()));
    byte[][] ck = Kdf.derive(3, chainKey, hs.presharedKey());
    chainKey = ck[0];
    hash = mixHash(hash, ck[1]);
    seal(ck[2], hash, EMPTY, msg, 44);
    hash = mixHash(hash, Arrays.copyOfRange(msg, 44, 60));
    hs.responseCreated(hash, chainKey, localIndex);
    return msg;
  }

  /** Consumes a response to the initiation {@code hs} created, moving it to RESPONSE_CONSUMED. */
  public static void consumeResponse(StaticIdentity local, Handshake hs, byte[] msg, int off)
      throws HandshakeException {
    if (hs.state() != Handshake.State.INITIATION_CREATED) {
      throw new HandshakeException("response without a pending initiation");
    }
    byte[] ephemeral = Arrays.copyOfRange(msg, off + 12, off + 44);
    byte[] hash = mixHash(hs.hash(), ephemeral);
    byte[] chainKey = mixKey(hs.chainKey(), ephemeral);
    chainKey = mixKey(chainKey, dh(hs.localEphemeral(), ephemeral));
    chainKey = mixKey(chainKey, dh(local.privateKey(), ephemeral));
    byte[][] ck = Kdf.derive(3, chainKey, hs.presharedKey());
    chainKey = ck[0];
    hash = mixHash(hash, ck[1]);
    byte[] emptyCiphertext = Arrays.copyOfRange(msg, off + 44, off + 60);
    open(ck[2], hash, emptyCiphertext);
    hash = mixHash(hash, emptyCiphertext);
    hs.responseConsumed(hash, chainKey, Messages.getIntLe(msg, off + 4));
  }

  /**
   * Derives the transport keypair from a finished handshake (initiator: first key sends; responder:
   * first key receives) and wipes the handshake's secrets.
   */
  public static Keypair deriveKeypair(Handshake hs, long nowNanos) throws HandshakeException {
    boolean initiator;
    if (hs.state() == Handshake.State.RESPONSE_CONSUMED) {
      initiator = true;
    } else if (hs.state() == Handshake.State.RESPONSE_CREATED) {
      initiator = false;
    } else {
      throw new HandshakeException("handshake not finished");
    }
    byte[][] keys = Kdf.derive(2, hs.chainKey(), EMPTY);
    Keypair keypair = initiator
        ? new Keypair(ChaChaPoly.key(keys[0]), ChaChaPoly.key(keys[1]), nowNanos, true, hs.localIndex(),
            hs.remoteIndex())
        : new Keypair(ChaChaPoly.key(keys[1]), ChaChaPoly.key(keys[0]), nowNanos, false, hs.localIndex(),
            hs.remoteIndex());
    hs.clear();
    return keypair;
  }

  static byte[] mixHash(byte[] hash, byte[] data) {
    return Blake2s.hash(hash, data);
  }

  static byte[] mixKey(byte[] chainKey, byte[] data) {
    return Kdf.derive(1, chainKey, data)[0];
  }

  static byte[] dh(byte[] privateKey, byte[] publicKey) throws HandshakeException {
    try {
      return X25519.sharedSecret(privateKey, publicKey);
    } catch (InvalidKeyException e) {
      throw new HandshakeException("invalid public key in handshake");
    }
  }

  private static void seal(byte[] key, byte[] aad, byte[] plaintext, byte[] out, int outOff) {
    new ChaChaPoly().seal(ChaChaPoly.key(key), 0, aad, plaintext, 0, plaintext.length, out, outOff);
  }

  private static byte[] open(byte[] key, byte[] aad, byte[] ciphertext) throws HandshakeException {
    byte[] out = new byte[ciphertext.length - ChaChaPoly.TAG_LENGTH];
    try {
      new ChaChaPoly().open(ChaChaPoly.key(key), 0, aad, ciphertext, ciphertext.length, out, 0);
    } catch (AEADBadTagException e) {
      throw new HandshakeException("handshake message does not authenticate");
    }
    return out;
  }
}
