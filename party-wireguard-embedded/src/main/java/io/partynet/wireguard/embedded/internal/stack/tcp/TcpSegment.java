package io.partynet.wireguard.embedded.internal.stack.tcp;

import io.partynet.wireguard.embedded.internal.stack.ipv4.Ipv4;

/**
 * TCP header codec (RFC 9293 section 3.1) with the options this stack speaks: MSS (kind 2), window
 * scale (kind 3, RFC 7323 section 2), SACK-permitted (kind 4, recognised only) and timestamps
 * (kind 8, RFC 7323 section 3). {@link #parse} fills this reusable view of an arriving segment;
 * the static writers build outgoing segments in place. A view is not thread-safe.
 */
final class TcpSegment {
  static final int HEADER_LENGTH = 20;
  static final int FIN = 0x01;
  static final int SYN = 0x02;
  static final int RST = 0x04;
  static final int PSH = 0x08;
  static final int ACK = 0x10;
  static final int URG = 0x20;
  /** NOP NOP TIMESTAMP(10): the option block of every segment once timestamps are on. */
  static final int TIMESTAMP_BLOCK = 12;
  /** MSS(4) + NOP WSCALE(3) + NOP NOP TIMESTAMP(10). */
  static final int SYN_OPTIONS_MAX = 4 + 4 + 12;

  int sourceIp;
  int destinationIp;
  int sourcePort;
  int destinationPort;
  int seq;
  int ack;
  int flags;
  /** The window field as sent (unscaled). */
  int window;
  byte[] buffer;
  int dataOffset;
  int dataLength;
  /** -1 when absent. */
  int mss;
  /** -1 when absent. */
  int windowScale;
  boolean sackPermitted;
  boolean hasTimestamp;
  int tsVal;
  int tsEcr;

  boolean has(int flag) {
    return (flags & flag) != 0;
  }

  /** Sequence space the segment occupies: data plus one each for SYN and FIN. */
  int sequenceLength() {
    return dataLength + (flags & SYN) / SYN + (flags & FIN);
  }

  /**
   * Parses the TCP segment of {@code tcpLength} bytes at {@code tcpOffset} carried from
   * {@code sourceIp} to {@code destinationIp}; false for a bad checksum or malformed header/options.
   * Never throws.
   */
  boolean parse(byte[] packet, int tcpOffset, int tcpLength, int sourceIp, int destinationIp) {
    return parse(packet, tcpOffset, tcpLength, sourceIp, destinationIp, true);
  }

  /** As {@link #parse(byte[], int, int, int, int)}, verifying the checksum only when {@code verifyChecksum}. */
  boolean parse(byte[] packet, int tcpOffset, int tcpLength, int sourceIp, int destinationIp, boolean verifyChecksum) {
    if (tcpLength < HEADER_LENGTH) {
      return false;
    }
    int headerLength = ((packet[tcpOffset + 12] & 0xf0) >>> 4) * 4;
    if (headerLength < HEADER_LENGTH || headerLength > tcpLength) {
      return false;
    }
    if (verifyChecksum && Ipv4.checksum(packet, tcpOffset, tcpLength,
        Ipv4.pseudoHeaderSum(sourceIp, destinationIp, Ipv4.PROTOCOL_TCP, tcpLength)) != 0) {
      return false;
    }
    this.sourceIp = sourceIp;
    this.destinationIp = destinationIp;
    sourcePort = Ipv4.getShort(packet, tcpOffset);
    destinationPort = Ipv4.getShort(packet, tcpOffset + 2);
    seq = Ipv4.getInt(packet, tcpOffset + 4);
    ack = Ipv4.getInt(packet, tcpOffset + 8);
    flags = packet[tcpOffset + 13] & 0x3f;
    window = Ipv4.getShort(packet, tcpOffset + 14);
    buffer = packet;
    dataOffset = tcpOffset + headerLength;
    dataLength = tcpLength - headerLength;
    return parseOptions(packet, tcpOffset + HEADER_LENGTH, tcpOffset + headerLength);
  }

  private boolean parseOptions(byte[] b, int at, int end) {
    mss = -1;
    windowScale = -1;
    sackPermitted = false;
    hasTimestamp = false;
    while (at < end) {
      int kind = b[at] & 0xff;
      if (kind == 0) {
        return true;
      }
      if (kind == 1) {
        at++;
        continue;
      }
      if (at + 1 >= end) {
        return false;
      }
      int length = b[at + 1] & 0xff;
      if (length < 2 || at + length > end) {
        return false;
      }
      if (kind == 2 && length == 4) {
        mss = Ipv4.getShort(b, at + 2);
      } else if (kind == 3 && length == 3) {
        windowScale = Math.min(b[at + 2] & 0xff, 14);
      } else if (kind == 4 && length == 2) {
        sackPermitted = true;
      } else if (kind == 8 && length == 10) {
        hasTimestamp = true;
        tsVal = Ipv4.getInt(b, at + 2);
        tsEcr = Ipv4.getInt(b, at + 6);
      }
      at += length;
    }
    return true;
  }

  /**
   * Writes the IPv4 and TCP headers of a segment whose {@code dataLength} data bytes the caller
   * already placed (or will place) after the options, then the checksums; the data must be in
   * place before this call. Returns the packet length.
   *
   * @param mss the MSS option to send, or -1 for none (SYN segments only)
   * @param windowScale the window-scale option to send, or -1 for none (SYN segments only)
   * @param timestamps whether to send the timestamps option with {@code tsVal}/{@code tsEcr}
   */
  static int write(byte[] out, int localIp, int remoteIp, int localPort, int remotePort, int seq, int ack,
      int flags, int window, int mss, int windowScale, boolean timestamps, int tsVal, int tsEcr, int dataLength) {
    int tcp = Ipv4.HEADER_LENGTH;
    int options = optionsLength(mss, windowScale, timestamps);
    int tcpLength = HEADER_LENGTH + options + dataLength;
    Ipv4.putShort(out, tcp, localPort);
    Ipv4.putShort(out, tcp + 2, remotePort);
    Ipv4.putInt(out, tcp + 4, seq);
    Ipv4.putInt(out, tcp + 8, ack);
    out[tcp + 12] = (byte) (((HEADER_LENGTH + options) / 4) << 4);
    out[tcp + 13] = (byte) flags;
    Ipv4.putShort(out, tcp + 14, window);
    Ipv4.putInt(out, tcp + 16, 0);
    int at = tcp + HEADER_LENGTH;
    if (mss >= 0) {
      out[at] = 2;
      out[at + 1] = 4;
      Ipv4.putShort(out, at + 2, mss);
      at += 4;
    }
    if (windowScale >= 0) {
      out[at] = 1;
      out[at + 1] = 3;
      out[at + 2] = 3;
      out[at + 3] = (byte) windowScale;
      at += 4;
    }
    if (timestamps) {
      out[at] = 1;
      out[at + 1] = 1;
      out[at + 2] = 8;
      out[at + 3] = 10;
      Ipv4.putInt(out, at + 4, tsVal);
      Ipv4.putInt(out, at + 8, tsEcr);
    }
    int checksum = Ipv4.checksum(out, tcp, tcpLength,
        Ipv4.pseudoHeaderSum(localIp, remoteIp, Ipv4.PROTOCOL_TCP, tcpLength));
    Ipv4.putShort(out, tcp + 16, checksum);
    int total = Ipv4.HEADER_LENGTH + tcpLength;
    Ipv4.writeHeader(out, 0, total, 0, Ipv4.PROTOCOL_TCP, localIp, remoteIp);
    return total;
  }

  static int optionsLength(int mss, int windowScale, boolean timestamps) {
    return (mss >= 0 ? 4 : 0) + (windowScale >= 0 ? 4 : 0) + (timestamps ? TIMESTAMP_BLOCK : 0);
  }

  /** Where the data of a segment starts in the packet {@link #write} builds. */
  static int dataStart(int mss, int windowScale, boolean timestamps) {
    return Ipv4.HEADER_LENGTH + HEADER_LENGTH + optionsLength(mss, windowScale, timestamps);
  }
}
