package io.partynet.wireguard.jna.internal.discovery;

import io.partynet.core.internal.discovery.Ipv4;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * An IPv4 UDP packet as the capture socket reads it and the injection socket writes it (RFC 791,
 * RFC 768). {@link #parse} validates every length and refuses fragments and other protocols;
 * {@link #build} writes a complete header with both checksums. Immutable.
 */
record UdpPacket(int sourceIp, int destinationIp, int sourcePort, int destinationPort, byte[] payload) {
  static final int IP_HEADER = 20;
  static final int UDP_HEADER = 8;
  static final int PROTOCOL_UDP = 17;
  /**
   * The TTL of delivered packets: 0, so that a multicast delivered on a real interface stays on the
   * host (the kernel's {@code ip_mc_output} loops it back to local members, then drops it).
   */
  static final int TTL = 0;

  /** The packet in {@code buffer[0..length)}, or empty when it is not a whole, unfragmented IPv4 UDP packet. */
  static Optional<UdpPacket> parse(byte[] buffer, int length) {
    if (length < IP_HEADER + UDP_HEADER || length > buffer.length) {
      return Optional.empty();
    }
    ByteBuffer in = ByteBuffer.wrap(buffer, 0, length);
    int versionIhl = in.get(0) & 0xFF;
    int headerLength = (versionIhl & 0x0F) * 4;
    int total = in.getShort(2) & 0xFFFF;
    int fragment = in.getShort(6) & 0x3FFF;
    if (versionIhl >> 4 != 4 || headerLength < IP_HEADER || total > length || total < headerLength + UDP_HEADER
        || fragment != 0 || (in.get(9) & 0xFF) != PROTOCOL_UDP) {
      return Optional.empty();
    }
    int udpLength = in.getShort(headerLength + 4) & 0xFFFF;
    int sourcePort = in.getShort(headerLength) & 0xFFFF;
    int destinationPort = in.getShort(headerLength + 2) & 0xFFFF;
    if (udpLength < UDP_HEADER || udpLength > total - headerLength || sourcePort == 0 || destinationPort == 0) {
      return Optional.empty();
    }
    byte[] payload = Arrays.copyOfRange(buffer, headerLength + UDP_HEADER, headerLength + udpLength);
    return Optional.of(new UdpPacket(in.getInt(12), in.getInt(16), sourcePort, destinationPort, payload));
  }

  byte[] build() {
    int udpLength = UDP_HEADER + payload.length;
    ByteBuffer out = ByteBuffer.allocate(IP_HEADER + udpLength);
    out.put((byte) 0x45).put((byte) 0).putShort((short) (IP_HEADER + udpLength)).putShort((short) 0)
        .putShort((short) 0).put((byte) TTL).put((byte) PROTOCOL_UDP).putShort((short) 0)
        .putInt(sourceIp).putInt(destinationIp);
    out.putShort(10, (short) checksum(out.array(), 0, IP_HEADER, 0));
    out.putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) udpLength).putShort((short) 0)
        .put(payload);
    long pseudo = (sourceIp >>> 16) + (sourceIp & 0xFFFF) + (destinationIp >>> 16) + (destinationIp & 0xFFFF)
        + PROTOCOL_UDP + udpLength;
    int udpSum = checksum(out.array(), IP_HEADER, udpLength, pseudo);
    out.putShort(IP_HEADER + 6, (short) (udpSum == 0 ? 0xFFFF : udpSum));
    return out.array();
  }

  /** RFC 1071 Internet checksum of {@code bytes[offset..offset+length)} plus {@code initial}. */
  static int checksum(byte[] bytes, int offset, int length, long initial) {
    long sum = initial;
    for (int i = 0; i + 1 < length; i += 2) {
      sum += (bytes[offset + i] & 0xFF) << 8 | bytes[offset + i + 1] & 0xFF;
    }
    if ((length & 1) == 1) {
      sum += (bytes[offset + length - 1] & 0xFF) << 8;
    }
    while (sum >> 16 != 0) {
      sum = (sum & 0xFFFF) + (sum >> 16);
    }
    return (int) (~sum & 0xFFFF);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UdpPacket p && p.sourceIp == sourceIp && p.destinationIp == destinationIp
        && p.sourcePort == sourcePort && p.destinationPort == destinationPort && Arrays.equals(p.payload, payload);
  }

  @Override
  public int hashCode() {
    return ((sourceIp * 31 + destinationIp) * 31 + sourcePort * 65536 + destinationPort) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return Ipv4.format(sourceIp) + ":" + sourcePort + " -> " + Ipv4.format(destinationIp) + ":" + destinationPort
        + " (" + payload.length + " bytes)";
  }
}
