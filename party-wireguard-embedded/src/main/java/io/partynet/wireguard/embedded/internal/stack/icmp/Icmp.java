package io.partynet.wireguard.embedded.internal.stack.icmp;

import io.partynet.wireguard.embedded.internal.stack.ipv4.Ipv4;

/**
 * ICMP for IPv4 (RFC 792): echo replies and destination-unreachable messages, built in place.
 * Stateless and thread-safe.
 */
public final class Icmp {
  public static final int TYPE_ECHO_REPLY = 0;
  public static final int TYPE_DESTINATION_UNREACHABLE = 3;
  public static final int TYPE_ECHO_REQUEST = 8;
  public static final int CODE_NET_UNREACHABLE = 0;
  public static final int CODE_HOST_UNREACHABLE = 1;
  public static final int CODE_PROTOCOL_UNREACHABLE = 2;
  public static final int CODE_PORT_UNREACHABLE = 3;
  public static final int HEADER_LENGTH = 8;
  /** RFC 792: the original IP header plus the first 64 bits of its data. */
  private static final int QUOTED_DATA = 8;

  private Icmp() {}

  /** Whether the ICMP message (after the IP header) is well-formed: long enough, checksum correct. */
  public static boolean isValid(byte[] packet, int icmpOffset, int icmpLength) {
    return icmpLength >= HEADER_LENGTH && Ipv4.checksum(packet, icmpOffset, icmpLength, 0) == 0;
  }

  public static int type(byte[] packet, int icmpOffset) {
    return packet[icmpOffset] & 0xff;
  }

  public static int code(byte[] packet, int icmpOffset) {
    return packet[icmpOffset + 1] & 0xff;
  }

  /**
   * Builds the echo reply to the echo request at {@code request[icmpOffset..+icmpLength]} into
   * {@code out} (same identifier, sequence number and data); returns the packet length.
   */
  public static int buildEchoReply(byte[] request, int icmpOffset, int icmpLength, byte[] out, int localIp,
      int remoteIp, int identification) {
    int total = Ipv4.HEADER_LENGTH + icmpLength;
    System.arraycopy(request, icmpOffset, out, Ipv4.HEADER_LENGTH, icmpLength);
    out[Ipv4.HEADER_LENGTH] = TYPE_ECHO_REPLY;
    out[Ipv4.HEADER_LENGTH + 1] = 0;
    Ipv4.putShort(out, Ipv4.HEADER_LENGTH + 2, 0);
    Ipv4.putShort(out, Ipv4.HEADER_LENGTH + 2, Ipv4.checksum(out, Ipv4.HEADER_LENGTH, icmpLength, 0));
    Ipv4.writeHeader(out, 0, total, identification, Ipv4.PROTOCOL_ICMP, localIp, remoteIp);
    return total;
  }

  /**
   * Builds a destination-unreachable message about the packet {@code original[offset..]} (whose
   * IP header is {@code originalHeaderLength} bytes of {@code originalLength}) into {@code out}.
   */
  public static int buildUnreachable(int code, byte[] original, int offset, int originalHeaderLength,
      int originalLength, byte[] out, int localIp, int remoteIp, int identification) {
    int quoted = Math.min(originalLength, originalHeaderLength + QUOTED_DATA);
    int icmpLength = HEADER_LENGTH + quoted;
    int base = Ipv4.HEADER_LENGTH;
    out[base] = TYPE_DESTINATION_UNREACHABLE;
    out[base + 1] = (byte) code;
    Ipv4.putShort(out, base + 2, 0);
    Ipv4.putInt(out, base + 4, 0);
    System.arraycopy(original, offset, out, base + HEADER_LENGTH, quoted);
    Ipv4.putShort(out, base + 2, Ipv4.checksum(out, base, icmpLength, 0));
    Ipv4.writeHeader(out, 0, Ipv4.HEADER_LENGTH + icmpLength, identification, Ipv4.PROTOCOL_ICMP, localIp, remoteIp);
    return Ipv4.HEADER_LENGTH + icmpLength;
  }

  /**
   * The quoted packet of a destination-unreachable message: its offset in {@code packet}, or -1
   * when the quote is too short to carry an IPv4 header and 8 bytes (the ports of TCP and UDP).
   */
  public static int quotedPacketOffset(byte[] packet, int icmpOffset, int icmpLength) {
    int quoted = icmpOffset + HEADER_LENGTH;
    int available = icmpLength - HEADER_LENGTH;
    if (available < Ipv4.HEADER_LENGTH + QUOTED_DATA || (packet[quoted] & 0xf0) != 0x40) {
      return -1;
    }
    int headerLength = (packet[quoted] & 0x0f) * 4;
    return headerLength >= Ipv4.HEADER_LENGTH && available >= headerLength + QUOTED_DATA ? quoted : -1;
  }
}
