package io.partynet.wireguard.jna.internal.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Shared helpers of the struct codecs: netlink is in the host's byte order, 4-byte aligned. */
final class Structs {
  static final int ALIGNTO = 4;

  private Structs() {}

  static int align(int length) {
    return (length + ALIGNTO - 1) & ~(ALIGNTO - 1);
  }

  static ByteBuffer wrap(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
  }

  static ByteBuffer allocate(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
  }

  static void require(ByteBuffer buffer, int size, String what) throws MalformedNetlinkException {
    if (buffer.remaining() < size) {
      throw new MalformedNetlinkException(what + " needs " + size + " bytes, only " + buffer.remaining() + " left");
    }
  }
}
