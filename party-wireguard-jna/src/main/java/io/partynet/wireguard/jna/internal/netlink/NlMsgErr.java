package io.partynet.wireguard.jna.internal.netlink;

import java.nio.ByteBuffer;

/**
 * {@code struct nlmsgerr} (linux/netlink.h): s32 error (0 for an ack, else a negated errno) and
 * the header of the request it answers. The echoed request body and extended-ack attributes
 * that may follow are not part of the struct. Immutable and thread-safe.
 */
record NlMsgErr(int error, NlMsgHdr request) implements Packable {
  static final int SIZE = 4 + NlMsgHdr.SIZE;

  static NlMsgErr parse(ByteBuffer buffer) throws MalformedNetlinkException {
    Structs.require(buffer, SIZE, "nlmsgerr");
    int error = buffer.getInt();
    return new NlMsgErr(error, NlMsgHdr.parse(buffer));
  }

  @Override
  public int size() {
    return SIZE;
  }

  @Override
  public void pack(ByteBuffer buffer) {
    buffer.putInt(error);
    request.pack(buffer);
  }
}
