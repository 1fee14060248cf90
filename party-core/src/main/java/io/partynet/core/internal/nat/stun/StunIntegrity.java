package io.partynet.core.internal.nat.stun;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * MESSAGE-INTEGRITY keys and checks (RFC 8489 sections 9 and 14.5-14.6). Stateless and
 * thread-safe.
 */
public final class StunIntegrity {

  private StunIntegrity() {}

  /**
   * The long-term credential key MD5(username ":" realm ":" password) (section 9.2.2). The strings
   * are used as given: callers that need SASLprep/OpaqueString must apply it first.
   */
  public static byte[] longTermKey(String username, String realm, String password) {
    try {
      return MessageDigest.getInstance("MD5")
          .digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK always provides MD5", e);
    }
  }

  /** The short-term credential key: the password's UTF-8 bytes (section 9.1.1). */
  public static byte[] shortTermKey(String password) {
    return password.getBytes(StandardCharsets.UTF_8);
  }

  /** True when the raw message has a MESSAGE-INTEGRITY attribute that {@code key} verifies. */
  public static boolean checkSha1(ByteBuffer rawMessage, byte[] key) {
    return check(rawMessage, key, AttributeType.MESSAGE_INTEGRITY);
  }

  /** True when the raw message has a MESSAGE-INTEGRITY-SHA256 attribute that {@code key} verifies. */
  public static boolean checkSha256(ByteBuffer rawMessage, byte[] key) {
    return check(rawMessage, key, AttributeType.MESSAGE_INTEGRITY_SHA256);
  }

  private static boolean check(ByteBuffer rawMessage, byte[] key, int integrityType) {
    ByteBuffer in = rawMessage.duplicate();
    int start = in.position();
    int end = in.limit();
    if (end - start < StunCodec.HEADER) {
      return false;
    }
    int offset = start + StunCodec.HEADER;
    while (offset + 4 <= end) {
      int type = Short.toUnsignedInt(in.getShort(offset));
      int length = Short.toUnsignedInt(in.getShort(offset + 2));
      if (offset + 4 + length > end) {
        return false;
      }
      if (type == integrityType) {
        byte[] covered = new byte[offset - start];
        in.get(start, covered);
        int coveredLength = offset - start - StunCodec.HEADER + 4 + length;
        covered[2] = (byte) (coveredLength >>> 8);
        covered[3] = (byte) coveredLength;
        byte[] received = new byte[length];
        in.get(offset + 4, received);
        byte[] full = integrityType == AttributeType.MESSAGE_INTEGRITY
            ? hmacSha1(key, covered)
            : hmacSha256(key, covered);
        boolean validLength = integrityType == AttributeType.MESSAGE_INTEGRITY
            ? length == full.length
            : length >= 16 && length <= full.length && length % 4 == 0;
        if (!validLength) {
          return false;
        }
        return MessageDigest.isEqual(Arrays.copyOf(full, length), received);
      }
      offset += 4 + ((length + 3) & ~3);
    }
    return false;
  }

  static byte[] hmacSha1(byte[] key, byte[] data) {
    return hmac("HmacSHA1", key, data);
  }

  static byte[] hmacSha256(byte[] key, byte[] data) {
    return hmac("HmacSHA256", key, data);
  }

  private static byte[] hmac(String algorithm, byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      // SecretKeySpec refuses an empty key; HMAC zero-pads keys to its block size, so one zero
      // byte is the same key.
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, algorithm));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK always provides " + algorithm, e);
    }
  }
}
