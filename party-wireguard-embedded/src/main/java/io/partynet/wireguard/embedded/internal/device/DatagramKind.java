package io.partynet.wireguard.embedded.internal.device;

import io.partynet.wireguard.embedded.internal.noise.Messages;

/**
 * Tells apart what arrives on the shared socket by its first bytes: WireGuard messages are types
 * 1-4 followed by three zero bytes; STUN messages (RFC 5389) start with two zero bits and carry the
 * magic cookie 0x2112A442 at bytes 4-7; TURN ChannelData (RFC 5766 section 11.4) starts with a
 * channel number in 0x4000-0x7FFF.
 *
 * <p>Immutable and thread-safe.
 */
public enum DatagramKind {
  WIREGUARD,
  STUN,
  TURN_CHANNEL_DATA,
  UNKNOWN;

  private static final int STUN_MAGIC_COOKIE = 0x2112A442;

  /** Classifies {@code length} bytes at {@code offset}; never throws. */
  public static DatagramKind classify(byte[] datagram, int offset, int length) {
    if (Messages.typeOf(datagram, offset, length) != 0) {
      return WIREGUARD;
    }
    if (length >= 20 && (datagram[offset] & 0xc0) == 0 && Messages.getIntLe(datagram, offset + 4)
        == Integer.reverseBytes(STUN_MAGIC_COOKIE)) {
      return STUN;
    }
    if (length >= 4 && (datagram[offset] & 0xc0) == 0x40) {
      return TURN_CHANNEL_DATA;
    }
    return UNKNOWN;
  }
}
