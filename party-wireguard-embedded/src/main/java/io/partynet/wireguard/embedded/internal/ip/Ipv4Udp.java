package io.partynet.wireguard.embedded.internal.ip;

/**
 * Builds and parses IPv4 packets carrying UDP (RFC 791, RFC 768) with their checksums, in place on
 * caller-owned arrays so the data path allocates nothing. Fragments, options-bearing packets are
 * accepted only when well-formed; fragments are refused (the tunnel MTU makes them unnecessary).
 *
 * <p>Stateless and thread-safe; {@link Parsed} holders are not.
 */
public final class Ipv4Udp {
  public static final int IP_HEADER_LENGTH = 20;
  public static final int UDP_HEADER_LENGTH = 8;
  public static final int HEADERS_LENGTH = IP_HEADER_LENGTH + UDP_HEADER_LENGTH;
  public static final int PROTOCOL_UDP = 17;
  private static final int DEFAULT_TTL = 64;

  private Ipv4Udp() {}

  /** The fields of a parsed packet; reused by the receive path. Not thread-safe. */
  public static final class Parsed {
    public int sourceIp;
    public int destinationIp;
    public int sourcePort;
    public int destinationPort;
    public int payloadOffset;
    public int payloadLength;
  }

  /**
   * Writes an IPv4/UDP packet at {@code out[0]}; returns its length.
   *
   * @throws IllegalArgumentException when the payload does not fit {@code out} or 65507 bytes
   */
  public static int build(byte[] out, int sourceIp, int destinationIp, int sourcePort, int destinationPort,
      int identification, byte[] payload, int payloadOffset, int payloadLength) {
    int total = HEADERS_LENGTH + payloadLength;
    if (payloadLength < 0 || total > 65535 || total > out.length) {
      throw new IllegalArgumentException("UDP payload of " + payloadLength + " bytes does not fit a packet of "
          + Math.min(out.length, 65535) + " bytes");
    }
    System.arraycopy(payload, payloadOffset, out, HEADERS_LENGTH, payloadLength);
    out[0] = 0x45;
    out[1] = 0;
    putShort(out, 2, total);
    putShort(out, 4, identification);
    putShort(out, 6, 0x4000);
    out[8] = DEFAULT_TTL;
    out[9] = PROTOCOL_UDP;
    putShort(out, 10, 0);
    putInt(out, 12, sourceIp);
    putInt(out, 16, destinationIp);
    putShort(out, 10, checksum(out, 0, IP_HEADER_LENGTH, 0));
    int udpLength = UDP_HEADER_LENGTH + payloadLength;
    putShort(out, 20, sourcePort);
    putShort(out, 22, destinationPort);
    putShort(out, 24, udpLength);
    putShort(out, 26, 0);
    int udpChecksum = checksum(out, IP_HEADER_LENGTH, udpLength, pseudoHeaderSum(sourceIp, destinationIp, udpLength));
    putShort(out, 26, udpChecksum == 0 ? 0xffff : udpChecksum);
    return total;
  }

  /**
   * Parses an IPv4/UDP packet of {@code length} bytes at {@code offset}; returns false (and leaves
   * {@code into} undefined) for anything that is not a valid, unfragmented IPv4 UDP packet with
   * correct checksums. Never throws for any input.
   */
  public static boolean tryParse(byte[] packet, int offset, int length, Parsed into) {
    if (length < HEADERS_LENGTH || offset < 0 || offset + length > packet.length) {
      return false;
    }
    int versionIhl = packet[offset] & 0xff;
    int headerLength = (versionIhl & 0x0f) * 4;
    if (versionIhl >> 4 != 4 || headerLength < IP_HEADER_LENGTH) {
      return false;
    }
    int total = getShort(packet, offset + 2);
    if (total > length || total < headerLength + UDP_HEADER_LENGTH) {
      return false;
    }
    int fragment = getShort(packet, offset + 6);
    if ((fragment & 0x3fff) != 0 || (packet[offset + 9] & 0xff) != PROTOCOL_UDP) {
      return false;
    }
    if (checksum(packet, offset, headerLength, 0) != 0) {
      return false;
    }
    int udp = offset + headerLength;
    int udpLength = getShort(packet, udp + 4);
    if (udpLength < UDP_HEADER_LENGTH || udpLength > total - headerLength) {
      return false;
    }
    int sourceIp = getInt(packet, offset + 12);
    int destinationIp = getInt(packet, offset + 16);
    if (getShort(packet, udp + 6) != 0
        && checksum(packet, udp, udpLength, pseudoHeaderSum(sourceIp, destinationIp, udpLength)) != 0) {
      return false;
    }
    into.sourceIp = sourceIp;
    into.destinationIp = destinationIp;
    into.sourcePort = getShort(packet, udp);
    into.destinationPort = getShort(packet, udp + 2);
    into.payloadOffset = udp + UDP_HEADER_LENGTH;
    into.payloadLength = udpLength - UDP_HEADER_LENGTH;
    return true;
  }

  /** The IPv4 source address of a packet (caller checked it is IPv4 and long enough). */
  public static int sourceAddress(byte[] packet, int offset) {
    return getInt(packet, offset + 12);
  }

  public static int destinationAddress(byte[] packet, int offset) {
    return getInt(packet, offset + 16);
  }

  /** RFC 1071 ones'-complement sum of {@code length} bytes plus {@code initial}, complemented. */
  static int checksum(byte[] b, int offset, int length, int initial) {
    long sum = initial;
    int end = offset + length;
    int i = offset;
    for (; i + 1 < end; i += 2) {
      sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }
    if (i < end) {
      sum += (b[i] & 0xff) << 8;
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }

  private static int pseudoHeaderSum(int sourceIp, int destinationIp, int udpLength) {
    return (sourceIp >>> 16) + (sourceIp & 0xffff) + (destinationIp >>> 16) + (destinationIp & 0xffff)
        + PROTOCOL_UDP + udpLength;
  }

  public static int getShort(byte[] b, int off) {
    return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
  }

  public static int getInt(byte[] b, int off) {
    return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
  }

  static void putShort(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }

  static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  /** Dotted-quad to the address as an int. */
  public static int parseAddress(String dotted) {
    String[] parts = dotted.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + dotted);
    }
    int v = 0;
    for (String p : parts) {
      int octet;
      try {
        octet = Integer.parseInt(p);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not an IPv4 address: " + dotted, e);
      }
      if (octet < 0 || octet > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + dotted);
      }
      v = (v << 8) | octet;
    }
    return v;
  }

  public static String formatAddress(int address) {
    return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." + (address & 0xff);
  }
}
