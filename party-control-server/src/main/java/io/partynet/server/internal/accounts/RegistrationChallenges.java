package io.partynet.server.internal.accounts;

import io.partynet.Key;
import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import io.partynet.core.internal.keys.WireGuardKeyPair;
import io.partynet.core.internal.keys.WireGuardKeys;
import io.partynet.protocol.internal.ChallengeResponse;
import io.partynet.protocol.internal.KeyProof;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.RegisterRequest;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The challenges of proof-of-possession registration ({@link KeyProof}). Stateless on purpose, so
 * asking for challenges costs the server no memory: a nonce is 16 random bytes, its expiry time
 * and a MAC of both under a secret of this process; the server's X25519 key is made at start. A
 * restart therefore invalidates outstanding challenges (the client asks again). A nonce is not
 * remembered after use: a replayed proof can only repeat the registration it was made for (same
 * peer id and key, within the minute), which the key's owner could do anyway. Instances that share
 * a database ({@code --shared}) derive both secrets from one the database holds
 * ({@link #fromDeploymentSecret}), so a challenge from one instance verifies on every one.
 * Thread-safe.
 */
public final class RegistrationChallenges {
  private static final int RANDOM_BYTES = 16;
  private static final int MAC_BYTES = 16;
  private static final int NONCE_BYTES = RANDOM_BYTES + Long.BYTES + MAC_BYTES;

  private final Clock clock;
  private final Duration lifetime;
  private final SecureRandom random = new SecureRandom();
  private final WireGuardKeyPair serverKeys;
  private final byte[] nonceSecret;

  public RegistrationChallenges(Clock clock, Duration lifetime) {
    this(clock, lifetime, WireGuardKeys.generateKeyPair(), randomSecret());
  }

  private RegistrationChallenges(Clock clock, Duration lifetime, WireGuardKeyPair serverKeys, byte[] nonceSecret) {
    this.clock = clock;
    this.lifetime = lifetime;
    this.serverKeys = serverKeys;
    this.nonceSecret = nonceSecret;
  }

  /** Challenges every holder of {@code secret} (32 random bytes or more) issues and verifies alike. */
  public static RegistrationChallenges fromDeploymentSecret(Clock clock, Duration lifetime, byte[] secret) {
    Key privateKey = Key.fromBytes(clamp(hmac(secret, "partynet registration challenge x25519")));
    return new RegistrationChallenges(clock, lifetime,
        new WireGuardKeyPair(privateKey, WireGuardKeys.publicKey(privateKey)),
        hmac(secret, "partynet registration challenge nonce mac"));
  }

  private static byte[] randomSecret() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return secret;
  }

  private static byte[] clamp(byte[] scalar) {
    scalar[0] &= (byte) 248;
    scalar[31] &= (byte) 127;
    scalar[31] |= (byte) 64;
    return scalar;
  }

  private static byte[] hmac(byte[] secret, String label) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has HmacSHA256", e);
    }
  }

  public ChallengeResponse issue() {
    ByteBuffer nonce = ByteBuffer.allocate(NONCE_BYTES);
    byte[] fresh = new byte[RANDOM_BYTES];
    random.nextBytes(fresh);
    nonce.put(fresh).putLong(clock.millis() + lifetime.toMillis());
    nonce.put(mac(nonce.array(), RANDOM_BYTES + Long.BYTES));
    return new ChallengeResponse(Base64.getUrlEncoder().withoutPadding().encodeToString(nonce.array()),
        serverKeys.publicKey().toBase64());
  }

  /** Accepts the request's proof or throws: FORBIDDEN for a wrong proof, INVALID_ARGUMENT for a stale or foreign nonce. */
  public void verify(RegisterRequest request) {
    byte[] nonce;
    try {
      nonce = Base64.getUrlDecoder().decode(request.nonce());
    } catch (IllegalArgumentException e) {
      nonce = new byte[0];
    }
    if (nonce.length != NONCE_BYTES
        || !MessageDigest.isEqual(mac(nonce, RANDOM_BYTES + Long.BYTES), Arrays.copyOfRange(nonce, NONCE_BYTES - MAC_BYTES, NONCE_BYTES))) {
      throw PartyException.of(Reason.INVALID_ARGUMENT, "the nonce was not issued by this server (or it restarted):"
          + " get a new one with POST " + Protocol.CHALLENGE);
    }
    long expires = ByteBuffer.wrap(nonce, RANDOM_BYTES, Long.BYTES).getLong();
    if (clock.millis() > expires) {
      throw PartyException.of(Reason.INVALID_ARGUMENT, "the challenge expired: get a new one with POST "
          + Protocol.CHALLENGE);
    }
    Key publicKey = Key.fromBase64(request.publicKey());
    if (!KeyProof.verify(serverKeys.privateKey(), serverKeys.publicKey(), request.nonce(), request.peerId(),
        publicKey, request.proof())) {
      throw PartyException.of(Reason.FORBIDDEN, "the proof does not show possession of the private key of "
          + "this public key; a peer registers only its own WireGuard key");
    }
  }

  private byte[] mac(byte[] data, int length) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(nonceSecret, "HmacSHA256"));
      mac.update(data, 0, length);
      return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has HmacSHA256", e);
    }
  }
}
