package io.partynet.wireguard.jna.internal.netlink;

import java.nio.ByteBuffer;

/**
 * {@code struct ifaddrmsg} (linux/if_addr.h): u8 family, u8 prefix length, u8 flags (IFA_F_*),
 * u8 scope, u32 interface index. Immutable and thread-safe.
 */
record IfAddrMsg(int family, int prefixLength, int flags, int scope, int index) implements Packable {
  static final int SIZE = 8;

  static IfAddrMsg parse(ByteBuffer buffer) throws MalformedNetlinkException {
    Structs.require(buffer, SIZE, "ifaddrmsg");
    return new IfAddrMsg(Byte.toUnsignedInt(buffer.get()), Byte.toUnsignedInt(buffer.get()),
        Byte.toUnsignedInt(buffer.get()), Byte.toUnsignedInt(buffer.get()), buffer.getInt());
  }

  @Override
  public int size() {
    return SIZE;
  }

  @Override
  public void pack(ByteBuffer buffer) {
    buffer.put((byte) family).put((byte) prefixLength).put((byte) flags).put((byte) scope).putInt(index);
  }
}
