package io.partynet.core.internal.nat.stun;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes STUN messages, optionally appending MESSAGE-INTEGRITY (HMAC-SHA1),
 * MESSAGE-INTEGRITY-SHA256 and FINGERPRINT in the order RFC 8489 section 14 requires. Immutable
 * and thread-safe: each {@code with...} method returns a new encoder.
 *
 * <p>The padding byte exists because RFC 5769's vectors pad with spaces while everybody else pads
 * with zeros; receivers must ignore it, but integrity covers it.
 */
public final class StunEncoder {
  private static final StunEncoder PLAIN = new StunEncoder(null, false, false, false, (byte) 0);

  private final byte[] key;
  private final boolean sha1;
  private final boolean sha256;
  private final boolean fingerprint;
  private final byte padding;

  private StunEncoder(byte[] key, boolean sha1, boolean sha256, boolean fingerprint, byte padding) {
    this.key = key;
    this.sha1 = sha1;
    this.sha256 = sha256;
    this.fingerprint = fingerprint;
    this.padding = padding;
  }

  /** An encoder that adds no integrity and no fingerprint. */
  public static StunEncoder plain() {
    return PLAIN;
  }

  /** Adds MESSAGE-INTEGRITY keyed with {@code key} (a short-term password or a long-term key). */
  public StunEncoder withIntegrity(byte[] key) {
    checkKey(key);
    return new StunEncoder(key.clone(), true, sha256, fingerprint, padding);
  }

  /** Adds MESSAGE-INTEGRITY-SHA256 (full 32 bytes) keyed with {@code key}. */
  public StunEncoder withIntegritySha256(byte[] key) {
    checkKey(key);
    return new StunEncoder(key.clone(), sha1, true, fingerprint, padding);
  }

  public StunEncoder withFingerprint() {
    return new StunEncoder(key, sha1, sha256, true, padding);
  }

  public StunEncoder withPadding(byte paddingByte) {
    return new StunEncoder(key, sha1, sha256, fingerprint, paddingByte);
  }

  private void checkKey(byte[] newKey) {
    if (key != null && !Arrays.equals(key, newKey)) {
      throw new IllegalArgumentException("both integrity attributes use the same key");
    }
  }

  /**
   * Encodes {@code message}, which must not itself carry integrity or fingerprint attributes (use
   * {@link StunMessage#withoutProtection()} on a decoded one).
   */
  public ByteBuffer encode(StunMessage message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    writeHeader(out, message, 0);
    for (StunAttribute attribute : message.attributes()) {
      if (attribute instanceof StunAttribute.Integrity || attribute instanceof StunAttribute.Fingerprint) {
        throw new IllegalArgumentException(
            "integrity and fingerprint are added by the encoder, not carried in the message");
      }
      writeAttribute(out, attribute.type(), value(attribute, message.transactionId()));
    }
    if (sha1) {
      byte[] mac = StunIntegrity.hmacSha1(key, withLength(out.toByteArray(), 4 + 20));
      writeAttribute(out, AttributeType.MESSAGE_INTEGRITY, mac);
    }
    if (sha256) {
      byte[] mac = StunIntegrity.hmacSha256(key, withLength(out.toByteArray(), 4 + 32));
      writeAttribute(out, AttributeType.MESSAGE_INTEGRITY_SHA256, mac);
    }
    if (fingerprint) {
      byte[] covered = withLength(out.toByteArray(), 8);
      int crc = StunCodec.crc32(ByteBuffer.wrap(covered), 0, covered.length) ^ StunCodec.FINGERPRINT_XOR;
      writeAttribute(out, AttributeType.FINGERPRINT, ByteBuffer.allocate(4).putInt(crc).array());
    }
    byte[] encoded = withLength(out.toByteArray(), 0);
    if (encoded.length > StunCodec.MAX_MESSAGE) {
      throw new IllegalArgumentException("message longer than STUN's 16-bit length allows");
    }
    return ByteBuffer.wrap(encoded);
  }

  /** A copy whose header length counts everything written so far plus {@code extra} bytes. */
  private static byte[] withLength(byte[] soFar, int extra) {
    byte[] copy = soFar.clone();
    int length = soFar.length - StunCodec.HEADER + extra;
    copy[2] = (byte) (length >>> 8);
    copy[3] = (byte) length;
    return copy;
  }

  private static void writeHeader(ByteArrayOutputStream out, StunMessage message, int length) {
    ByteBuffer header = ByteBuffer.allocate(StunCodec.HEADER);
    header.putShort((short) StunCodec.messageType(message.messageClass(), message.method()));
    header.putShort((short) length);
    header.putInt(StunCodec.MAGIC_COOKIE);
    header.put(message.transactionId().bytes());
    out.writeBytes(header.array());
  }

  private void writeAttribute(ByteArrayOutputStream out, int type, byte[] value) {
    if (value.length > 0xFFFF) {
      throw new IllegalArgumentException("attribute value longer than 65535 bytes");
    }
    out.write(type >>> 8);
    out.write(type);
    out.write(value.length >>> 8);
    out.write(value.length);
    out.writeBytes(value);
    for (int i = value.length; i % 4 != 0; i++) {
      out.write(padding);
    }
  }

  private static byte[] value(StunAttribute attribute, TransactionId tid) {
    if (attribute instanceof StunAttribute.Address a) {
      return StunCodec.encodeAddressValue(a, tid);
    } else if (attribute instanceof StunAttribute.Text t) {
      return t.value().getBytes(StandardCharsets.UTF_8);
    } else if (attribute instanceof StunAttribute.ErrorCode e) {
      byte[] reason = e.reason().getBytes(StandardCharsets.UTF_8);
      return ByteBuffer.allocate(4 + reason.length)
          .putShort((short) 0).put((byte) (e.code() / 100)).put((byte) (e.code() % 100)).put(reason)
          .array();
    } else if (attribute instanceof StunAttribute.UnknownAttributes u) {
      ByteBuffer b = ByteBuffer.allocate(2 * u.types().size());
      u.types().forEach(t -> b.putShort((short) (int) t));
      return b.array();
    } else if (attribute instanceof StunAttribute.ChangeRequest c) {
      return ByteBuffer.allocate(4).putInt(StunCodec.changeRequestFlags(c)).array();
    } else if (attribute instanceof StunAttribute.Lifetime l) {
      return ByteBuffer.allocate(4).putInt((int) l.seconds()).array();
    } else if (attribute instanceof StunAttribute.ChannelNumber c) {
      return ByteBuffer.allocate(4).putInt(c.channel() << 16).array();
    } else if (attribute instanceof StunAttribute.RequestedTransport r) {
      return ByteBuffer.allocate(4).putInt(r.protocol() << 24).array();
    } else if (attribute instanceof StunAttribute.Data d) {
      return d.bytes();
    } else if (attribute instanceof StunAttribute.Unrecognized u) {
      return u.value();
    }
    throw new IllegalArgumentException("integrity and fingerprint are added by the encoder: " + attribute);
  }
}
