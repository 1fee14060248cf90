package io.partynet.wireguard.jna.internal.netlink;

import java.nio.ByteBuffer;

/**
 * {@code struct sockaddr_nl} (linux/netlink.h): u16 family (AF_NETLINK), u16 padding, u32 port id,
 * u32 multicast groups. Immutable and thread-safe.
 */
record SockaddrNl(int portId, int groups) implements Packable {
  static final int SIZE = 12;

  static SockaddrNl parse(ByteBuffer buffer) throws MalformedNetlinkException {
    Structs.require(buffer, SIZE, "sockaddr_nl");
    buffer.getShort();
    buffer.getShort();
    return new SockaddrNl(buffer.getInt(), buffer.getInt());
  }

  byte[] toBytes() {
    ByteBuffer buffer = Structs.allocate(SIZE);
    pack(buffer);
    return buffer.array();
  }

  @Override
  public int size() {
    return SIZE;
  }

  @Override
  public void pack(ByteBuffer buffer) {
    buffer.putShort((short) LibC.AF_NETLINK).putShort((short) 0).putInt(portId).putInt(groups);
  }
}
