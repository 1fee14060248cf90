package io.partynet.wireguard.jna.internal.netlink;

import java.nio.ByteBuffer;

/**
 * {@code struct genlmsghdr} (linux/genetlink.h): u8 command, u8 version, u16 reserved (zero).
 * Immutable and thread-safe.
 */
record GenlMsgHdr(int command, int version) implements Packable {
  static final int SIZE = 4;

  static GenlMsgHdr parse(ByteBuffer buffer) throws MalformedNetlinkException {
    Structs.require(buffer, SIZE, "genlmsghdr");
    int command = Byte.toUnsignedInt(buffer.get());
    int version = Byte.toUnsignedInt(buffer.get());
    buffer.getShort();
    return new GenlMsgHdr(command, version);
  }

  @Override
  public int size() {
    return SIZE;
  }

  @Override
  public void pack(ByteBuffer buffer) {
    buffer.put((byte) command).put((byte) version).putShort((short) 0);
  }
}
