package io.partynet.wireguard.jna.internal.netlink;

import java.nio.ByteBuffer;

/**
 * {@code struct nlattr} / {@code struct rtattr} (same layout): u16 length (header plus value, without
 * the padding that aligns the next attribute to 4 bytes), u16 type whose top bits flag a nested
 * attribute (NLA_F_NESTED) and network byte order (NLA_F_NET_BYTEORDER). Immutable and thread-safe.
 */
record NlAttr(int length, int type) implements Packable {
  static final int SIZE = 4;
  static final int NLA_F_NESTED = 0x8000;
  static final int NLA_F_NET_BYTEORDER = 0x4000;
  static final int TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

  static NlAttr parse(ByteBuffer buffer) throws MalformedNetlinkException {
    Structs.require(buffer, SIZE, "nlattr");
    return new NlAttr(Short.toUnsignedInt(buffer.getShort()), Short.toUnsignedInt(buffer.getShort()));
  }

  /** The attribute number without the flag bits. */
  int number() {
    return type & TYPE_MASK;
  }

  @Override
  public int size() {
    return SIZE;
  }

  @Override
  public void pack(ByteBuffer buffer) {
    buffer.putShort((short) length).putShort((short) type);
  }
}
