package io.partynet.core.internal.nat.stun;

/**
 * STUN attribute type codes: RFC 8489 section 18.3, RFC 5780 section 7, RFC 8656 section 18.
 * Types below 0x8000 are comprehension-required, the rest comprehension-optional. Thread-safe.
 */
public final class AttributeType {
  public static final int MAPPED_ADDRESS = 0x0001;
  public static final int CHANGE_REQUEST = 0x0003;
  public static final int USERNAME = 0x0006;
  public static final int MESSAGE_INTEGRITY = 0x0008;
  public static final int ERROR_CODE = 0x0009;
  public static final int UNKNOWN_ATTRIBUTES = 0x000A;
  public static final int CHANNEL_NUMBER = 0x000C;
  public static final int LIFETIME = 0x000D;
  public static final int XOR_PEER_ADDRESS = 0x0012;
  public static final int DATA = 0x0013;
  public static final int REALM = 0x0014;
  public static final int NONCE = 0x0015;
  public static final int XOR_RELAYED_ADDRESS = 0x0016;
  public static final int REQUESTED_TRANSPORT = 0x0019;
  public static final int MESSAGE_INTEGRITY_SHA256 = 0x001C;
  public static final int XOR_MAPPED_ADDRESS = 0x0020;
  public static final int SOFTWARE = 0x8022;
  public static final int FINGERPRINT = 0x8028;
  public static final int RESPONSE_ORIGIN = 0x802B;
  public static final int OTHER_ADDRESS = 0x802C;

  private AttributeType() {}

  /** True for 0x0000-0x7FFF: an agent that does not know such an attribute must reject the message. */
  public static boolean isComprehensionRequired(int type) {
    return type < 0x8000;
  }

  static boolean isXorAddress(int type) {
    return type == XOR_MAPPED_ADDRESS || type == XOR_PEER_ADDRESS || type == XOR_RELAYED_ADDRESS;
  }

  static boolean isPlainAddress(int type) {
    return type == MAPPED_ADDRESS || type == OTHER_ADDRESS || type == RESPONSE_ORIGIN;
  }

  static boolean isText(int type) {
    return type == USERNAME || type == SOFTWARE || type == REALM || type == NONCE;
  }
}
