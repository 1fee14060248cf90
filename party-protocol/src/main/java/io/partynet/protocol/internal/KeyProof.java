package io.partynet.protocol.internal;

import io.partynet.Key;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Proof that a registering peer holds the private key of the WireGuard public key it registers
 * (protocol revision 2). The client computes the X25519 secret of its private key and the
 * server's key from the challenge; the server computes the same secret from its private key and
 * the client's public key. The proof is HMAC-SHA256 under that secret over a label, the nonce, the
 * peer id, the public key and the server key, so it is bound to this one registration: it cannot
 * be made by someone who only saw the public key, nor reused for another peer id or nonce.
 * Stateless and thread-safe.
 */
public final class KeyProof {
  private static final String LABEL = "partynet register v1";
  private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{16,128}");
  private static final Pattern PROOF = Pattern.compile("[A-Za-z0-9_-]{43}");

  private KeyProof() {}

  /** The client's proof, from its private key and the challenge. */
  public static String prove(Key privateKey, Key serverKey, String nonce, String peerId, Key publicKey) {
    byte[] secret = X25519.sharedSecret(privateKey, serverKey);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(mac(secret, nonce, peerId, publicKey, serverKey));
  }

  /** The server's check, from its private key; false for a wrong or malformed proof, or a small-order public key. */
  public static boolean verify(Key serverPrivate, Key serverKey, String nonce, String peerId, Key publicKey,
      String proof) {
    if (proof == null || !PROOF.matcher(proof).matches()) {
      return false;
    }
    byte[] secret;
    try {
      secret = X25519.sharedSecret(serverPrivate, publicKey);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(mac(secret, nonce, peerId, publicKey, serverKey),
        Base64.getUrlDecoder().decode(proof));
  }

  public static String requireNonceShape(String nonce) {
    if (nonce == null || !NONCE.matcher(nonce).matches()) {
      throw new IllegalArgumentException("nonce must be 16..128 base64url characters from POST " + Protocol.CHALLENGE);
    }
    return nonce;
  }

  public static String requireProofShape(String proof) {
    if (proof == null || !PROOF.matcher(proof).matches()) {
      throw new IllegalArgumentException("proof must be 43 base64url characters (HMAC-SHA256)");
    }
    return proof;
  }

  private static byte[] mac(byte[] secret, String nonce, String peerId, Key publicKey, Key serverKey) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      String message = String.join("\n", LABEL, nonce, peerId, publicKey.toBase64(), serverKey.toBase64());
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has HmacSHA256", e);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }
}
