package io.partynet.wireguard.embedded.internal.noise;

import io.partynet.wireguard.embedded.internal.crypto.Blake2s;
import io.partynet.wireguard.embedded.internal.crypto.XChaChaPoly;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;

/**
 * The sending side of WireGuard's DoS protection (paper section 5.4.4): adds MAC1 (keyed by the
 * peer's public key) and MAC2 (keyed by the latest cookie the peer sent, while fresh) to outgoing
 * handshake messages, and decrypts cookie replies.
 *
 * <p>Not thread-safe: guarded by the peer's lock.
 */
public final class CookieGenerator {
  static final byte[] LABEL_MAC1 = "mac1----".getBytes(StandardCharsets.US_ASCII);
  static final byte[] LABEL_COOKIE = "cookie--".getBytes(StandardCharsets.US_ASCII);

  private final byte[] mac1Key;
  private final byte[] cookieKey;
  private byte[] lastMac1;
  private byte[] cookie;
  private long cookieReceivedNanos;

  public CookieGenerator(byte[] peerPublicKey) {
    this.mac1Key = Blake2s.hash(LABEL_MAC1, peerPublicKey);
    this.cookieKey = Blake2s.hash(LABEL_COOKIE, peerPublicKey);
  }

  /** Fills the last 32 bytes of a handshake message: MAC1, then MAC2 or zeros. */
  public void addMacs(byte[] msg, long nowNanos) {
    int mac1Offset = msg.length - 32;
    byte[] mac1 = Blake2s.mac(mac1Key, msg, 0, mac1Offset);
    System.arraycopy(mac1, 0, msg, mac1Offset, 16);
    lastMac1 = mac1;
    if (hasFreshCookie(nowNanos)) {
      System.arraycopy(Blake2s.mac(cookie, msg, 0, msg.length - 16), 0, msg, msg.length - 16, 16);
    } else {
      Arrays.fill(msg, msg.length - 16, msg.length, (byte) 0);
    }
  }

  /** Takes the cookie from a 64-byte cookie reply to the last message this generator MACed. */
  public void consumeReply(byte[] reply, int off, long nowNanos) throws HandshakeException {
    if (lastMac1 == null) {
      throw new HandshakeException("cookie reply without a handshake message sent");
    }
    byte[] nonce = Arrays.copyOfRange(reply, off + 8, off + 32);
    byte[] sealed = Arrays.copyOfRange(reply, off + 32, off + 64);
    try {
      cookie = XChaChaPoly.open(cookieKey, nonce, lastMac1, sealed);
    } catch (AEADBadTagException e) {
      throw new HandshakeException("cookie reply does not authenticate");
    }
    cookieReceivedNanos = nowNanos;
  }

  public boolean hasFreshCookie(long nowNanos) {
    return cookie != null && nowNanos - cookieReceivedNanos < Timing.COOKIE_REFRESH_TIME;
  }
}
