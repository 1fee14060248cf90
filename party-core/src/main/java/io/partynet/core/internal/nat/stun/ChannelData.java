package io.partynet.core.internal.nat.stun;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A TURN ChannelData frame (RFC 8656 section 12.4): channel number, length, application data.
 * Immutable (the array is copied) and thread-safe.
 */
public record ChannelData(int channel, byte[] data) {
  public static final int MIN_CHANNEL = 0x4000;
  public static final int MAX_CHANNEL = 0x4FFF;
  public static final int HEADER = 4;
  public static final int MAX_DATA = 0xFFFF;

  public ChannelData {
    checkChannel(channel);
    data = data.clone();
    if (data.length > MAX_DATA) {
      throw new IllegalArgumentException("channel data longer than 65535 bytes");
    }
  }

  static void checkChannel(int channel) {
    if (channel < MIN_CHANNEL || channel > MAX_CHANNEL) {
      throw new IllegalArgumentException("channel number must be 0x4000..0x4FFF: " + channel);
    }
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  /** True when the first byte says ChannelData (its top two bits are 01), not STUN (00). */
  public static boolean looksLikeChannelData(ByteBuffer datagram) {
    return datagram.remaining() >= 1 && (datagram.get(datagram.position()) & 0xC0) == 0x40;
  }

  /** Writes the frame unpadded, as UDP allows (section 12.5). */
  public static ByteBuffer encode(int channel, ByteBuffer payload) {
    checkChannel(channel);
    int length = payload.remaining();
    if (length > MAX_DATA) {
      throw new IllegalArgumentException("channel data longer than 65535 bytes");
    }
    ByteBuffer out = ByteBuffer.allocate(HEADER + length);
    out.putShort((short) channel).putShort((short) length).put(payload.duplicate()).flip();
    return out;
  }

  public ByteBuffer encode() {
    return encode(channel, ByteBuffer.wrap(data));
  }

  /** Reads one frame; trailing padding (TCP framing) after the data is allowed and ignored. */
  public static ChannelData decode(ByteBuffer datagram) throws StunDecodeException {
    ByteBuffer in = datagram.duplicate();
    if (in.remaining() < HEADER) {
      throw new StunDecodeException("ChannelData shorter than its 4-byte header");
    }
    int channel = Short.toUnsignedInt(in.getShort());
    int length = Short.toUnsignedInt(in.getShort());
    if (channel < MIN_CHANNEL || channel > MAX_CHANNEL) {
      throw new StunDecodeException("ChannelData channel number out of range: " + channel);
    }
    if (length > in.remaining()) {
      throw new StunDecodeException("ChannelData length " + length + " exceeds the datagram");
    }
    byte[] data = new byte[length];
    in.get(data);
    return new ChannelData(channel, data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelData c && channel == c.channel && Arrays.equals(data, c.data);
  }

  @Override
  public int hashCode() {
    return 31 * channel + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "ChannelData[0x" + Integer.toHexString(channel) + ", " + data.length + " bytes]";
  }
}
