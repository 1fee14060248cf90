package io.partynet.core.internal.nat.stun;

/** The two class bits of a STUN message type (RFC 8489 section 5). Immutable and thread-safe. */
public enum MessageClass {
  REQUEST(0b00),
  INDICATION(0b01),
  SUCCESS_RESPONSE(0b10),
  ERROR_RESPONSE(0b11);

  private final int bits;

  MessageClass(int bits) {
    this.bits = bits;
  }

  int bits() {
    return bits;
  }

  static MessageClass ofBits(int bits) {
    return values()[bits & 0b11];
  }

  public boolean isResponse() {
    return this == SUCCESS_RESPONSE || this == ERROR_RESPONSE;
  }
}
