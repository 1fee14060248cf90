package io.partynet.wireguard.embedded.internal.ip;

import static io.partynet.wireguard.embedded.internal.stack.ipv4.Ipv4.checksum;
import static io.partynet.wireguard.embedded.internal.stack.ipv4.Ipv4.getShort;
import static io.partynet.wireguard.embedded.internal.stack.ipv4.Ipv4.putShort;

import io.partynet.wireguard.embedded.internal.stack.ipv4.Ipv4;

/**
 * Builds and parses IPv4 packets carrying UDP (RFC 791, RFC 768) with their checksums, in place on
 * caller-owned arrays so the data path allocates nothing. Fragments, options-bearing packets are
 * accepted only when well-formed; fragments are refused (the tunnel MTU makes them unnecessary).
 * The IPv4 header and the checksum are the stack's ({@link Ipv4}).
 *
 * <p>Stateless and thread-safe; {@link Parsed} holders are not.
 */
public final class Ipv4Udp {
  public static final int IP_HEADER_LENGTH = Ipv4.HEADER_LENGTH;
  public static final int UDP_HEADER_LENGTH = 8;
  public static final int HEADERS_LENGTH = IP_HEADER_LENGTH + UDP_HEADER_LENGTH;

  private Ipv4Udp() {}

  /** The fields of a parsed packet; reused by the receive path. Not thread-safe. */
  public static final class Parsed {
    public int sourceIp;
    public int destinationIp;
    public int sourcePort;
    public int destinationPort;
    public int payloadOffset;
    public int payloadLength;
    private final Ipv4.Header ip = new Ipv4.Header();
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
    Ipv4.writeHeader(out, 0, total, identification, Ipv4.PROTOCOL_UDP, sourceIp, destinationIp);
    int udpLength = UDP_HEADER_LENGTH + payloadLength;
    putShort(out, 20, sourcePort);
    putShort(out, 22, destinationPort);
    putShort(out, 24, udpLength);
    putShort(out, 26, 0);
    int udpChecksum = checksum(out, IP_HEADER_LENGTH, udpLength,
        Ipv4.pseudoHeaderSum(sourceIp, destinationIp, Ipv4.PROTOCOL_UDP, udpLength));
    putShort(out, 26, udpChecksum == 0 ? 0xffff : udpChecksum);
    return total;
  }

  /**
   * Parses an IPv4/UDP packet of {@code length} bytes at {@code offset}; returns false (and leaves
   * {@code into} undefined) for anything that is not a valid, unfragmented IPv4 UDP packet with
   * correct checksums. Never throws for any input.
   */
  public static boolean tryParse(byte[] packet, int offset, int length, Parsed into) {
    Ipv4.Header ip = into.ip;
    if (!Ipv4.tryParse(packet, offset, length, ip) || ip.isFragment() || ip.protocol != Ipv4.PROTOCOL_UDP
        || ip.totalLength < ip.headerLength + UDP_HEADER_LENGTH) {
      return false;
    }
    int udp = offset + ip.headerLength;
    int udpLength = getShort(packet, udp + 4);
    if (udpLength < UDP_HEADER_LENGTH || udpLength > ip.totalLength - ip.headerLength) {
      return false;
    }
    if (getShort(packet, udp + 6) != 0 && checksum(packet, udp, udpLength,
        Ipv4.pseudoHeaderSum(ip.sourceIp, ip.destinationIp, Ipv4.PROTOCOL_UDP, udpLength)) != 0) {
      return false;
    }
    into.sourceIp = ip.sourceIp;
    into.destinationIp = ip.destinationIp;
    into.sourcePort = getShort(packet, udp);
    into.destinationPort = getShort(packet, udp + 2);
    into.payloadOffset = udp + UDP_HEADER_LENGTH;
    into.payloadLength = udpLength - UDP_HEADER_LENGTH;
    return true;
  }

  /** The IPv4 source address of a packet (caller checked it is IPv4 and long enough). */
  public static int sourceAddress(byte[] packet, int offset) {
    return Ipv4.getInt(packet, offset + 12);
  }

  public static int destinationAddress(byte[] packet, int offset) {
    return Ipv4.getInt(packet, offset + 16);
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
