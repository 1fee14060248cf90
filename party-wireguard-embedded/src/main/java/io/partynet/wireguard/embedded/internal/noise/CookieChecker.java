package io.partynet.wireguard.embedded.internal.noise;

import io.partynet.wireguard.embedded.internal.crypto.Blake2s;
import io.partynet.wireguard.embedded.internal.crypto.XChaChaPoly;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The receiving side of WireGuard's DoS protection: verifies MAC1 of every handshake message and,
 * under load, MAC2 (a cookie bound to the sender's address); makes cookie replies. The cookie
 * secret changes every two minutes.
 *
 * <p>Thread-safe (synchronized; used on the handshake path only).
 */
public final class CookieChecker {
  private final byte[] mac1Key;
  private final byte[] cookieKey;
  private final SecureRandom random;
  private final byte[] secret = new byte[32];
  private long secretCreatedNanos;
  private boolean secretSet;

  public CookieChecker(byte[] localPublicKey, SecureRandom random) {
    this.mac1Key = Blake2s.hash(CookieGenerator.LABEL_MAC1, localPublicKey);
    this.cookieKey = Blake2s.hash(CookieGenerator.LABEL_COOKIE, localPublicKey);
    this.random = random;
  }

  public boolean checkMac1(byte[] msg, int off, int len) {
    byte[] expected = Blake2s.mac(mac1Key, msg, off, len - 32);
    return MessageDigest.isEqual(expected, Arrays.copyOfRange(msg, off + len - 32, off + len - 16));
  }

  /** True when MAC2 was made with the cookie this checker currently gives {@code source}. */
  public synchronized boolean checkMac2(byte[] msg, int off, int len, byte[] source, long nowNanos) {
    if (!secretSet || nowNanos - secretCreatedNanos >= Timing.COOKIE_REFRESH_TIME) {
      return false;
    }
    byte[] cookie = Blake2s.mac(secret, source, 0, source.length);
    byte[] expected = Blake2s.mac(cookie, msg, off, len - 16);
    return MessageDigest.isEqual(expected, Arrays.copyOfRange(msg, off + len - 16, off + len));
  }

  /** A cookie reply to {@code msg} (an initiation or response) that came from {@code source}. */
  public synchronized byte[] createReply(byte[] msg, int off, int len, byte[] source, long nowNanos) {
    if (!secretSet || nowNanos - secretCreatedNanos >= Timing.COOKIE_REFRESH_TIME) {
      random.nextBytes(secret);
      secretCreatedNanos = nowNanos;
      secretSet = true;
    }
    byte[] cookie = Blake2s.mac(secret, source, 0, source.length);
    byte[] nonce = new byte[XChaChaPoly.NONCE_LENGTH];
    random.nextBytes(nonce);
    byte[] mac1 = Arrays.copyOfRange(msg, off + len - 32, off + len - 16);
    byte[] reply = new byte[Messages.COOKIE_REPLY_LENGTH];
    Messages.header(reply, Messages.TYPE_COOKIE_REPLY);
    System.arraycopy(msg, off + 4, reply, 4, 4);
    System.arraycopy(nonce, 0, reply, 8, 24);
    System.arraycopy(XChaChaPoly.seal(cookieKey, nonce, mac1, cookie), 0, reply, 32, 32);
    return reply;
  }
}
