package io.partynet.core.internal.nat.stun;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One decoded STUN attribute. Every record validates its value on construction with the same size
 * limits the decoder enforces, so whatever can be built can be encoded and decoded back equal.
 * All implementations are immutable (byte arrays are copied in and out) and thread-safe.
 */
public sealed interface StunAttribute {

  /** Longest USERNAME value, RFC 8489 section 14.3. */
  int MAX_USERNAME_BYTES = 513;
  /** Longest SOFTWARE, REALM, NONCE and error reason value (RFC 8489 sections 14.8-14.10, 14.14). */
  int MAX_TEXT_BYTES = 763;
  /** Those texts are also limited to fewer than 128 characters. */
  int MAX_TEXT_CHARS = 127;

  /** The 16-bit attribute type. */
  int type();

  /**
   * An address attribute: MAPPED-ADDRESS, OTHER-ADDRESS, RESPONSE-ORIGIN (sent as is) or
   * XOR-MAPPED-ADDRESS, XOR-PEER-ADDRESS, XOR-RELAYED-ADDRESS (sent xor-ed with the magic cookie and
   * transaction id; held here in the clear).
   */
  record Address(int type, InetSocketAddress address) implements StunAttribute {
    public Address {
      if (!AttributeType.isXorAddress(type) && !AttributeType.isPlainAddress(type)) {
        throw new IllegalArgumentException("not an address attribute type: " + type);
      }
      Objects.requireNonNull(address, "address");
      if (address.isUnresolved()) {
        throw new IllegalArgumentException("address must be resolved: " + address);
      }
    }

    public static Address xorMapped(InetSocketAddress address) {
      return new Address(AttributeType.XOR_MAPPED_ADDRESS, address);
    }

    public static Address xorPeer(InetSocketAddress address) {
      return new Address(AttributeType.XOR_PEER_ADDRESS, address);
    }

    public static Address xorRelayed(InetSocketAddress address) {
      return new Address(AttributeType.XOR_RELAYED_ADDRESS, address);
    }

    public static Address mapped(InetSocketAddress address) {
      return new Address(AttributeType.MAPPED_ADDRESS, address);
    }

    public static Address otherAddress(InetSocketAddress address) {
      return new Address(AttributeType.OTHER_ADDRESS, address);
    }

    public static Address responseOrigin(InetSocketAddress address) {
      return new Address(AttributeType.RESPONSE_ORIGIN, address);
    }
  }

  /** USERNAME, SOFTWARE, REALM or NONCE: UTF-8 text within the RFC's limits. */
  record Text(int type, String value) implements StunAttribute {
    public Text {
      if (!AttributeType.isText(type)) {
        throw new IllegalArgumentException("not a text attribute type: " + type);
      }
      Objects.requireNonNull(value, "value");
      int bytes = value.getBytes(StandardCharsets.UTF_8).length;
      if (type == AttributeType.USERNAME) {
        if (bytes > MAX_USERNAME_BYTES) {
          throw new IllegalArgumentException("USERNAME longer than 513 bytes");
        }
      } else if (bytes > MAX_TEXT_BYTES || value.codePointCount(0, value.length()) > MAX_TEXT_CHARS) {
        throw new IllegalArgumentException("text attribute longer than 127 characters / 763 bytes");
      }
    }

    public static Text username(String value) {
      return new Text(AttributeType.USERNAME, value);
    }

    public static Text software(String value) {
      return new Text(AttributeType.SOFTWARE, value);
    }

    public static Text realm(String value) {
      return new Text(AttributeType.REALM, value);
    }

    public static Text nonce(String value) {
      return new Text(AttributeType.NONCE, value);
    }
  }

  /** ERROR-CODE (RFC 8489 section 14.8): a code 300-699 and a reason phrase. */
  record ErrorCode(int code, String reason) implements StunAttribute {
    public static final int TRY_ALTERNATE = 300;
    public static final int BAD_REQUEST = 400;
    public static final int UNAUTHENTICATED = 401;
    public static final int FORBIDDEN = 403;
    public static final int UNKNOWN_ATTRIBUTE = 420;
    public static final int ALLOCATION_MISMATCH = 437;
    public static final int STALE_NONCE = 438;
    public static final int INSUFFICIENT_CAPACITY = 508;

    public ErrorCode {
      if (code < 300 || code > 699) {
        throw new IllegalArgumentException("error code must be 300..699: " + code);
      }
      Objects.requireNonNull(reason, "reason");
      if (reason.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES
          || reason.codePointCount(0, reason.length()) > MAX_TEXT_CHARS) {
        throw new IllegalArgumentException("error reason longer than 127 characters / 763 bytes");
      }
    }

    @Override
    public int type() {
      return AttributeType.ERROR_CODE;
    }
  }

  /** UNKNOWN-ATTRIBUTES (RFC 8489 section 14.9): the types a 420 response did not understand. */
  record UnknownAttributes(List<Integer> types) implements StunAttribute {
    /** Bounded so that the attribute always fits a datagram. */
    public static final int MAX_TYPES = 64;

    public UnknownAttributes {
      types = List.copyOf(types);
      if (types.size() > MAX_TYPES) {
        throw new IllegalArgumentException("more than " + MAX_TYPES + " unknown attribute types");
      }
      for (int t : types) {
        if (t < 0 || t > 0xFFFF) {
          throw new IllegalArgumentException("attribute type out of range: " + t);
        }
      }
    }

    @Override
    public int type() {
      return AttributeType.UNKNOWN_ATTRIBUTES;
    }
  }

  /** CHANGE-REQUEST (RFC 5780 section 7.2): ask the server to answer from its other IP and/or port. */
  record ChangeRequest(boolean changeIp, boolean changePort) implements StunAttribute {
    @Override
    public int type() {
      return AttributeType.CHANGE_REQUEST;
    }
  }

  /** LIFETIME (RFC 8656 section 18.2): seconds, an unsigned 32-bit value. */
  record Lifetime(long seconds) implements StunAttribute {
    public Lifetime {
      if (seconds < 0 || seconds > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException("lifetime must fit 32 unsigned bits: " + seconds);
      }
    }

    @Override
    public int type() {
      return AttributeType.LIFETIME;
    }
  }

  /** CHANNEL-NUMBER (RFC 8656 section 18.1): 0x4000-0x4FFF. */
  record ChannelNumber(int channel) implements StunAttribute {
    public ChannelNumber {
      ChannelData.checkChannel(channel);
    }

    @Override
    public int type() {
      return AttributeType.CHANNEL_NUMBER;
    }
  }

  /** REQUESTED-TRANSPORT (RFC 8656 section 18.7): an IP protocol number, 17 for UDP. */
  record RequestedTransport(int protocol) implements StunAttribute {
    public static final int UDP = 17;

    public RequestedTransport {
      if (protocol < 0 || protocol > 255) {
        throw new IllegalArgumentException("protocol must be 0..255: " + protocol);
      }
    }

    @Override
    public int type() {
      return AttributeType.REQUESTED_TRANSPORT;
    }
  }

  /** DATA (RFC 8656 section 18.4): an application datagram inside a Send or Data indication. */
  record Data(byte[] bytes) implements StunAttribute {
    public Data {
      bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public int type() {
      return AttributeType.DATA;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Data d && Arrays.equals(bytes, d.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Data[" + bytes.length + " bytes]";
    }
  }

  /**
   * MESSAGE-INTEGRITY (20-byte HMAC-SHA1) or MESSAGE-INTEGRITY-SHA256 (16-32 bytes, a multiple of
   * 4) as received. The encoder computes these itself; decoders report them so a message can be
   * checked with {@link StunIntegrity}.
   */
  record Integrity(int type, byte[] mac) implements StunAttribute {
    public Integrity {
      mac = mac.clone();
      if (type == AttributeType.MESSAGE_INTEGRITY) {
        if (mac.length != 20) {
          throw new IllegalArgumentException("MESSAGE-INTEGRITY must be 20 bytes");
        }
      } else if (type == AttributeType.MESSAGE_INTEGRITY_SHA256) {
        if (mac.length < 16 || mac.length > 32 || mac.length % 4 != 0) {
          throw new IllegalArgumentException("MESSAGE-INTEGRITY-SHA256 must be 16..32 bytes, a multiple of 4");
        }
      } else {
        throw new IllegalArgumentException("not an integrity attribute type: " + type);
      }
    }

    @Override
    public byte[] mac() {
      return mac.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Integrity i && type == i.type && Arrays.equals(mac, i.mac);
    }

    @Override
    public int hashCode() {
      return 31 * type + Arrays.hashCode(mac);
    }

    @Override
    public String toString() {
      return "Integrity[" + Integer.toHexString(type) + ", " + HexFormat.of().formatHex(mac) + "]";
    }
  }

  /** FINGERPRINT (RFC 8489 section 14.7): CRC-32 of the message before it, xor 0x5354554E. */
  record Fingerprint(int crc) implements StunAttribute {
    @Override
    public int type() {
      return AttributeType.FINGERPRINT;
    }
  }

  /**
   * Any attribute this codec does not interpret (ICE's PRIORITY, for example), kept as raw bytes so
   * it re-encodes unchanged. See {@link AttributeType#isComprehensionRequired(int)}.
   */
  record Unrecognized(int type, byte[] value) implements StunAttribute {
    public Unrecognized {
      if (type < 0 || type > 0xFFFF) {
        throw new IllegalArgumentException("attribute type out of range: " + type);
      }
      if (StunCodec.isKnownType(type)) {
        throw new IllegalArgumentException("type " + type + " has its own record");
      }
      value = value.clone();
      if (value.length > 0xFFFF) {
        throw new IllegalArgumentException("attribute value longer than 65535 bytes");
      }
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    public boolean comprehensionRequired() {
      return AttributeType.isComprehensionRequired(type);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Unrecognized u && type == u.type && Arrays.equals(value, u.value);
    }

    @Override
    public int hashCode() {
      return 31 * type + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "Unrecognized[" + Integer.toHexString(type) + ", " + value.length + " bytes]";
    }
  }
}
