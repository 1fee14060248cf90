package io.partynet.core.internal.nat.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Decodes STUN messages (RFC 8489 section 5) and holds the wire rules the encoder shares. A pure
 * function of its input; stateless and thread-safe.
 *
 * <p>Everything is size-checked before it is read: the header length must match the datagram, each
 * attribute must fit, at most {@link StunMessage#MAX_ATTRIBUTES} attributes, texts within the RFC
 * limits. A FINGERPRINT that is present must be last and correct. Attributes after
 * MESSAGE-INTEGRITY other than MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are dropped, as section
 * 14.5 says, so nothing unauthenticated passes as covered by the integrity check.
 */
public final class StunCodec {
  public static final int MAGIC_COOKIE = 0x2112A442;
  public static final int HEADER = 20;
  /** The largest message the 16-bit length field allows. */
  public static final int MAX_MESSAGE = HEADER + 0xFFFC;

  static final int FINGERPRINT_XOR = 0x5354554E;
  private static final int FAMILY_IPV4 = 0x01;
  private static final int FAMILY_IPV6 = 0x02;
  private static final int CHANGE_IP = 0x04;
  private static final int CHANGE_PORT = 0x02;

  private StunCodec() {}

  /** True when the datagram has a STUN header: top bits 00, a length that fits, the magic cookie. */
  public static boolean looksLikeStun(ByteBuffer datagram) {
    ByteBuffer in = datagram.duplicate();
    if (in.remaining() < HEADER) {
      return false;
    }
    int p = in.position();
    return (in.get(p) & 0xC0) == 0 && in.getInt(p + 4) == MAGIC_COOKIE;
  }

  /** Decodes one message; the buffer's position is not moved. */
  public static StunMessage decode(ByteBuffer datagram) throws StunDecodeException {
    ByteBuffer in = datagram.duplicate();
    int start = in.position();
    if (in.remaining() < HEADER) {
      throw new StunDecodeException("shorter than the 20-byte STUN header");
    }
    if (in.remaining() > MAX_MESSAGE) {
      throw new StunDecodeException("longer than any STUN message can be");
    }
    int messageType = Short.toUnsignedInt(in.getShort());
    int length = Short.toUnsignedInt(in.getShort());
    if ((messageType & 0xC000) != 0) {
      throw new StunDecodeException("top two bits of the message type are not zero");
    }
    if (in.getInt() != MAGIC_COOKIE) {
      throw new StunDecodeException("magic cookie missing: not an RFC 5389/8489 message");
    }
    if (length % 4 != 0 || length != in.remaining() - TransactionId.LENGTH) {
      throw new StunDecodeException("header length " + length + " does not match the datagram");
    }
    byte[] tid = new byte[TransactionId.LENGTH];
    in.get(tid);
    TransactionId transactionId = TransactionId.of(tid);

    List<StunAttribute> attributes = new ArrayList<>();
    int integrityStage = 0; // 0 none yet, 1 after MESSAGE-INTEGRITY, 2 after MESSAGE-INTEGRITY-SHA256
    boolean fingerprintSeen = false;
    while (in.hasRemaining()) {
      int attributeStart = in.position();
      if (in.remaining() < 4) {
        throw new StunDecodeException("truncated attribute header");
      }
      int type = Short.toUnsignedInt(in.getShort());
      int valueLength = Short.toUnsignedInt(in.getShort());
      int padded = (valueLength + 3) & ~3;
      if (padded > in.remaining()) {
        throw new StunDecodeException("attribute 0x" + Integer.toHexString(type) + " overruns the message");
      }
      ByteBuffer value = in.slice(in.position(), valueLength);
      in.position(in.position() + padded);
      if (fingerprintSeen) {
        throw new StunDecodeException("attribute after FINGERPRINT");
      }
      if (type == AttributeType.FINGERPRINT) {
        checkFingerprint(datagram, start, attributeStart, value);
        fingerprintSeen = true;
      } else if (integrityStage == 2
          || (integrityStage == 1 && type != AttributeType.MESSAGE_INTEGRITY_SHA256)) {
        continue;
      } else if (type == AttributeType.MESSAGE_INTEGRITY) {
        integrityStage = 1;
      } else if (type == AttributeType.MESSAGE_INTEGRITY_SHA256) {
        integrityStage = 2;
      }
      if (attributes.size() == StunMessage.MAX_ATTRIBUTES) {
        throw new StunDecodeException("more than " + StunMessage.MAX_ATTRIBUTES + " attributes");
      }
      attributes.add(decodeAttribute(type, value, transactionId));
    }
    return new StunMessage(
        MessageClass.ofBits(((messageType >> 4) & 0b01) | ((messageType >> 7) & 0b10)),
        methodOf(messageType),
        transactionId,
        attributes);
  }

  private static void checkFingerprint(ByteBuffer datagram, int start, int attributeStart, ByteBuffer value)
      throws StunDecodeException {
    if (value.remaining() != 4) {
      throw new StunDecodeException("FINGERPRINT must be 4 bytes");
    }
    int expected = crc32(datagram, start, attributeStart - start) ^ FINGERPRINT_XOR;
    if (value.getInt(value.position()) != expected) {
      throw new StunDecodeException("FINGERPRINT does not match: corrupted or not STUN");
    }
  }

  static int crc32(ByteBuffer buffer, int offset, int length) {
    CRC32 crc = new CRC32();
    crc.update(buffer.slice(offset, length));
    return (int) crc.getValue();
  }

  static int methodOf(int messageType) {
    return (messageType & 0x000F) | ((messageType & 0x00E0) >> 1) | ((messageType & 0x3E00) >> 2);
  }

  static int messageType(MessageClass messageClass, int method) {
    int c = messageClass.bits();
    return (method & 0x000F)
        | ((method & 0x0070) << 1)
        | ((method & 0x0F80) << 2)
        | ((c & 0b01) << 4)
        | ((c & 0b10) << 7);
  }

  static boolean isKnownType(int type) {
    return AttributeType.isXorAddress(type)
        || AttributeType.isPlainAddress(type)
        || AttributeType.isText(type)
        || type == AttributeType.ERROR_CODE
        || type == AttributeType.UNKNOWN_ATTRIBUTES
        || type == AttributeType.CHANGE_REQUEST
        || type == AttributeType.LIFETIME
        || type == AttributeType.CHANNEL_NUMBER
        || type == AttributeType.REQUESTED_TRANSPORT
        || type == AttributeType.DATA
        || type == AttributeType.MESSAGE_INTEGRITY
        || type == AttributeType.MESSAGE_INTEGRITY_SHA256
        || type == AttributeType.FINGERPRINT;
  }

  private static StunAttribute decodeAttribute(int type, ByteBuffer value, TransactionId tid)
      throws StunDecodeException {
    try {
      if (AttributeType.isXorAddress(type)) {
        return new StunAttribute.Address(type, decodeAddress(value, tid));
      }
      if (AttributeType.isPlainAddress(type)) {
        return new StunAttribute.Address(type, decodeAddress(value, null));
      }
      if (AttributeType.isText(type)) {
        return new StunAttribute.Text(type, utf8(value));
      }
      switch (type) {
        case AttributeType.ERROR_CODE -> {
          requireAtLeast(value, 4, "ERROR-CODE");
          int hundreds = value.get(value.position() + 2) & 0x07;
          int number = value.get(value.position() + 3) & 0xFF;
          if (number > 99) {
            throw new StunDecodeException("ERROR-CODE number above 99");
          }
          return new StunAttribute.ErrorCode(hundreds * 100 + number, utf8(value.slice(value.position() + 4, value.remaining() - 4)));
        }
        case AttributeType.UNKNOWN_ATTRIBUTES -> {
          if (value.remaining() % 2 != 0) {
            throw new StunDecodeException("UNKNOWN-ATTRIBUTES length is odd");
          }
          List<Integer> types = new ArrayList<>();
          while (value.hasRemaining()) {
            if (types.size() == StunAttribute.UnknownAttributes.MAX_TYPES) {
              throw new StunDecodeException("UNKNOWN-ATTRIBUTES lists too many types");
            }
            types.add(Short.toUnsignedInt(value.getShort()));
          }
          return new StunAttribute.UnknownAttributes(types);
        }
        case AttributeType.CHANGE_REQUEST -> {
          int flags = fourBytes(value, "CHANGE-REQUEST");
          return new StunAttribute.ChangeRequest((flags & CHANGE_IP) != 0, (flags & CHANGE_PORT) != 0);
        }
        case AttributeType.LIFETIME -> {
          return new StunAttribute.Lifetime(Integer.toUnsignedLong(fourBytes(value, "LIFETIME")));
        }
        case AttributeType.CHANNEL_NUMBER -> {
          return new StunAttribute.ChannelNumber(fourBytes(value, "CHANNEL-NUMBER") >>> 16);
        }
        case AttributeType.REQUESTED_TRANSPORT -> {
          return new StunAttribute.RequestedTransport(fourBytes(value, "REQUESTED-TRANSPORT") >>> 24);
        }
        case AttributeType.DATA -> {
          return new StunAttribute.Data(bytes(value));
        }
        case AttributeType.MESSAGE_INTEGRITY, AttributeType.MESSAGE_INTEGRITY_SHA256 -> {
          return new StunAttribute.Integrity(type, bytes(value));
        }
        case AttributeType.FINGERPRINT -> {
          return new StunAttribute.Fingerprint(value.getInt(value.position()));
        }
        default -> {
          return new StunAttribute.Unrecognized(type, bytes(value));
        }
      }
    } catch (IllegalArgumentException | BufferUnderflowException e) {
      throw new StunDecodeException(
          "malformed attribute 0x" + Integer.toHexString(type) + ": " + e.getMessage());
    }
  }

  private static void requireAtLeast(ByteBuffer value, int length, String name) throws StunDecodeException {
    if (value.remaining() < length) {
      throw new StunDecodeException(name + " shorter than " + length + " bytes");
    }
  }

  private static int fourBytes(ByteBuffer value, String name) throws StunDecodeException {
    if (value.remaining() != 4) {
      throw new StunDecodeException(name + " must be 4 bytes");
    }
    return value.getInt(value.position());
  }

  private static byte[] bytes(ByteBuffer value) {
    byte[] b = new byte[value.remaining()];
    value.duplicate().get(b);
    return b;
  }

  private static String utf8(ByteBuffer value) throws StunDecodeException {
    try {
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(value.duplicate());
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new StunDecodeException("text attribute is not valid UTF-8");
    }
  }

  private static InetSocketAddress decodeAddress(ByteBuffer value, TransactionId xorWith)
      throws StunDecodeException {
    requireAtLeast(value, 4, "address attribute");
    ByteBuffer in = value.duplicate();
    in.get(); // reserved
    int family = in.get() & 0xFF;
    int port = Short.toUnsignedInt(in.getShort());
    byte[] address;
    if (family == FAMILY_IPV4 && in.remaining() == 4) {
      address = new byte[4];
    } else if (family == FAMILY_IPV6 && in.remaining() == 16) {
      address = new byte[16];
    } else {
      throw new StunDecodeException("address attribute with family " + family + " and wrong length");
    }
    in.get(address);
    if (xorWith != null) {
      port ^= MAGIC_COOKIE >>> 16;
      xorAddress(address, xorWith);
    }
    try {
      return new InetSocketAddress(InetAddress.getByAddress(address), port);
    } catch (UnknownHostException e) {
      throw new StunDecodeException("bad address length");
    }
  }

  /** Xors an address with the magic cookie followed by the transaction id (section 14.2). */
  static void xorAddress(byte[] address, TransactionId tid) {
    for (int i = 0; i < address.length; i++) {
      int mask = i < 4 ? (MAGIC_COOKIE >>> (24 - 8 * i)) & 0xFF : tid.byteAt(i - 4) & 0xFF;
      address[i] ^= (byte) mask;
    }
  }

  static byte[] encodeAddressValue(StunAttribute.Address attribute, TransactionId tid) {
    byte[] address = attribute.address().getAddress().getAddress();
    int port = attribute.address().getPort();
    if (AttributeType.isXorAddress(attribute.type())) {
      port ^= MAGIC_COOKIE >>> 16;
      xorAddress(address, tid);
    }
    ByteBuffer out = ByteBuffer.allocate(4 + address.length);
    out.put((byte) 0).put((byte) (address.length == 4 ? FAMILY_IPV4 : FAMILY_IPV6)).putShort((short) port).put(address);
    return out.array();
  }

  static int changeRequestFlags(StunAttribute.ChangeRequest c) {
    return (c.changeIp() ? CHANGE_IP : 0) | (c.changePort() ? CHANGE_PORT : 0);
  }
}
