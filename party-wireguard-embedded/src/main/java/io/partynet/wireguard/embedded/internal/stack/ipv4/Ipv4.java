package io.partynet.wireguard.embedded.internal.stack.ipv4;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * IPv4 header codec (RFC 791 section 3.1) and the Internet checksum (RFC 1071), in place on
 * caller-owned arrays so the data path allocates nothing. Stateless and thread-safe.
 */
public final class Ipv4 {
  private static final VarHandle BIG_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  public static final int HEADER_LENGTH = 20;
  public static final int PROTOCOL_ICMP = 1;
  public static final int PROTOCOL_TCP = 6;
  public static final int PROTOCOL_UDP = 17;
  public static final int DEFAULT_TTL = 64;
  /** Flags and fragment offset field: Don't Fragment. */
  public static final int FLAG_DONT_FRAGMENT = 0x4000;
  public static final int FLAG_MORE_FRAGMENTS = 0x2000;
  public static final int FRAGMENT_OFFSET_MASK = 0x1fff;

  private Ipv4() {}

  /** The fields of a parsed header; reused by the receive path. Not thread-safe. */
  public static final class Header {
    public int headerLength;
    public int totalLength;
    public int identification;
    public boolean moreFragments;
    /** In bytes. */
    public int fragmentOffset;
    public int protocol;
    public int sourceIp;
    public int destinationIp;

    public boolean isFragment() {
      return moreFragments || fragmentOffset != 0;
    }
  }

  /**
   * Validates the IPv4 header of the {@code length} bytes at {@code offset} (version, header length,
   * total length within the buffer, header checksum) and fills {@code into}. Never throws.
   */
  public static boolean tryParse(byte[] packet, int offset, int length, Header into) {
    if (offset < 0 || length < HEADER_LENGTH || offset + length > packet.length) {
      return false;
    }
    int versionIhl = packet[offset] & 0xff;
    int headerLength = (versionIhl & 0x0f) * 4;
    if (versionIhl >> 4 != 4 || headerLength < HEADER_LENGTH) {
      return false;
    }
    int total = getShort(packet, offset + 2);
    if (total > length || total < headerLength || checksum(packet, offset, headerLength, 0) != 0) {
      return false;
    }
    int fragment = getShort(packet, offset + 6);
    into.headerLength = headerLength;
    into.totalLength = total;
    into.identification = getShort(packet, offset + 4);
    into.moreFragments = (fragment & FLAG_MORE_FRAGMENTS) != 0;
    into.fragmentOffset = (fragment & FRAGMENT_OFFSET_MASK) * 8;
    into.protocol = packet[offset + 9] & 0xff;
    into.sourceIp = getInt(packet, offset + 12);
    into.destinationIp = getInt(packet, offset + 16);
    return true;
  }

  /**
   * Writes a 20-byte header (no options, Don't Fragment set, TTL 64) with its checksum at
   * {@code out[offset]} for a packet of {@code totalLength} bytes.
   */
  public static void writeHeader(byte[] out, int offset, int totalLength, int identification, int protocol,
      int sourceIp, int destinationIp) {
    out[offset] = 0x45;
    out[offset + 1] = 0;
    putShort(out, offset + 2, totalLength);
    putShort(out, offset + 4, identification);
    putShort(out, offset + 6, FLAG_DONT_FRAGMENT);
    out[offset + 8] = DEFAULT_TTL;
    out[offset + 9] = (byte) protocol;
    putShort(out, offset + 10, 0);
    putInt(out, offset + 12, sourceIp);
    putInt(out, offset + 16, destinationIp);
    putShort(out, offset + 10, checksum(out, offset, HEADER_LENGTH, 0));
  }

  /** The sum of the TCP/UDP pseudo-header (RFC 9293 section 3.1, RFC 768), to start a checksum with. */
  public static int pseudoHeaderSum(int sourceIp, int destinationIp, int protocol, int length) {
    return (sourceIp >>> 16) + (sourceIp & 0xffff) + (destinationIp >>> 16) + (destinationIp & 0xffff)
        + protocol + length;
  }

  /** RFC 1071 ones'-complement sum of {@code length} bytes plus {@code initial}, complemented. */
  public static int checksum(byte[] b, int offset, int length, int initial) {
    long sum = initial & 0xffffffffL;
    int end = offset + length;
    int i = offset;
    // eight bytes per step as two 32-bit big-endian words: the ones'-complement sum is the same
    // whatever the word size (RFC 1071 section 2(B)), and a long holds 2^31 words' carries
    for (; i + 7 < end; i += 8) {
      long word = (long) BIG_ENDIAN_LONG.get(b, i);
      sum += (word >>> 32) + (word & 0xffffffffL);
    }
    for (; i + 3 < end; i += 4) {
      sum += ((b[i] & 0xffL) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }
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

  public static int getShort(byte[] b, int off) {
    return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
  }

  public static int getInt(byte[] b, int off) {
    return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
  }

  public static void putShort(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }

  public static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }
}
