package io.partynet.wireguard.embedded.internal.noise;

/**
 * Wire layout of WireGuard's four messages (WireGuard paper section 5.4; wireguard-go
 * {@code device/noise-protocol.go}). Integers are little-endian; every message starts with a type
 * byte followed by three zero bytes.
 *
 * <p>Constants and pure helpers only; thread-safe.
 */
public final class Messages {
  public static final int TYPE_INITIATION = 1;
  public static final int TYPE_RESPONSE = 2;
  public static final int TYPE_COOKIE_REPLY = 3;
  public static final int TYPE_TRANSPORT = 4;

  public static final int INITIATION_LENGTH = 148;
  public static final int RESPONSE_LENGTH = 92;
  public static final int COOKIE_REPLY_LENGTH = 64;
  public static final int TRANSPORT_HEADER_LENGTH = 16;
  public static final int TRANSPORT_MIN_LENGTH = TRANSPORT_HEADER_LENGTH + 16;

  private Messages() {}

  /**
   * The WireGuard message type of a datagram, or 0 when it is not a well-formed WireGuard message
   * (so a STUN or TURN packet sharing the socket is recognised by exclusion).
   */
  public static int typeOf(byte[] packet, int offset, int length) {
    if (length < 4 || packet[offset + 1] != 0 || packet[offset + 2] != 0 || packet[offset + 3] != 0) {
      return 0;
    }
    int type = packet[offset];
    return switch (type) {
      case TYPE_INITIATION -> length == INITIATION_LENGTH ? type : 0;
      case TYPE_RESPONSE -> length == RESPONSE_LENGTH ? type : 0;
      case TYPE_COOKIE_REPLY -> length == COOKIE_REPLY_LENGTH ? type : 0;
      case TYPE_TRANSPORT -> length >= TRANSPORT_MIN_LENGTH ? type : 0;
      default -> 0;
    };
  }

  public static void header(byte[] packet, int type) {
    packet[0] = (byte) type;
    packet[1] = 0;
    packet[2] = 0;
    packet[3] = 0;
  }

  public static int getIntLe(byte[] b, int off) {
    return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
  }

  public static void putIntLe(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
    b[off + 2] = (byte) (v >>> 16);
    b[off + 3] = (byte) (v >>> 24);
  }

  public static long getLongLe(byte[] b, int off) {
    return (getIntLe(b, off) & 0xffffffffL) | ((long) getIntLe(b, off + 4)) << 32;
  }

  public static void putLongLe(byte[] b, int off, long v) {
    putIntLe(b, off, (int) v);
    putIntLe(b, off + 4, (int) (v >>> 32));
  }
}
