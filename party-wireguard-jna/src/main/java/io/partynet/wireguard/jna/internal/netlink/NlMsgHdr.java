package io.partynet.wireguard.jna.internal.netlink;

import java.nio.ByteBuffer;

/**
 * {@code struct nlmsghdr} (linux/netlink.h): u32 length of the whole message, u16 type, u16 flags,
 * u32 sequence number, u32 sender port id. Immutable and thread-safe.
 */
record NlMsgHdr(int length, int type, int flags, int sequence, int portId) implements Packable {
  static final int SIZE = 16;

  static final int NLMSG_NOOP = 1;
  static final int NLMSG_ERROR = 2;
  static final int NLMSG_DONE = 3;
  static final int NLMSG_OVERRUN = 4;
  static final int NLM_F_REQUEST = 0x1;
  static final int NLM_F_MULTI = 0x2;
  static final int NLM_F_ACK = 0x4;
  static final int NLM_F_DUMP = 0x300;
  static final int NLM_F_REPLACE = 0x100;
  static final int NLM_F_EXCL = 0x200;
  static final int NLM_F_CREATE = 0x400;

  static NlMsgHdr parse(ByteBuffer buffer) throws MalformedNetlinkException {
    Structs.require(buffer, SIZE, "nlmsghdr");
    return new NlMsgHdr(buffer.getInt(), Short.toUnsignedInt(buffer.getShort()),
        Short.toUnsignedInt(buffer.getShort()), buffer.getInt(), buffer.getInt());
  }

  @Override
  public int size() {
    return SIZE;
  }

  @Override
  public void pack(ByteBuffer buffer) {
    buffer.putInt(length).putShort((short) type).putShort((short) flags).putInt(sequence).putInt(portId);
  }
}
