package io.partynet.wireguard.jna.internal.netlink;

import java.nio.ByteBuffer;

/**
 * {@code struct ifinfomsg} (linux/rtnetlink.h): u8 family, u8 padding, u16 device type (ARPHRD_*),
 * s32 interface index, u32 flags (IFF_*), u32 change mask. Immutable and thread-safe.
 */
record IfInfoMsg(int family, int deviceType, int index, int flags, int change) implements Packable {
  static final int SIZE = 16;
  static final int IFF_UP = 0x1;

  static IfInfoMsg parse(ByteBuffer buffer) throws MalformedNetlinkException {
    Structs.require(buffer, SIZE, "ifinfomsg");
    int family = Byte.toUnsignedInt(buffer.get());
    buffer.get();
    return new IfInfoMsg(family, Short.toUnsignedInt(buffer.getShort()), buffer.getInt(), buffer.getInt(),
        buffer.getInt());
  }

  @Override
  public int size() {
    return SIZE;
  }

  @Override
  public void pack(ByteBuffer buffer) {
    buffer.put((byte) family).put((byte) 0).putShort((short) deviceType).putInt(index).putInt(flags).putInt(change);
  }
}
