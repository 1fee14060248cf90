package io.partynet.wireguard.jna.internal.netlink;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one netlink message of at most {@code limit} bytes: the header, fixed structs, then
 * attributes, nested or not. The {@code try*} methods leave the message unchanged and return
 * false when the attribute would not fit, so a caller can close the message and continue in the
 * next one; the plain methods treat overflow as a bug. The sequence number is left 0 for the
 * socket to fill in.
 *
 * <p>Not thread-safe.
 */
final class NetlinkWriter {
  private final ByteBuffer buffer;

  NetlinkWriter(int type, int flags, int limit) {
    if (limit < NlMsgHdr.SIZE) {
      throw new IllegalArgumentException("message limit below the header size: " + limit);
    }
    buffer = Structs.allocate(limit);
    new NlMsgHdr(0, type, flags, 0, 0).pack(buffer);
  }

  NetlinkWriter struct(Packable struct) {
    require(struct.size());
    struct.pack(buffer);
    return this;
  }

  boolean tryAttribute(int type, byte[] value) {
    int total = Structs.align(NlAttr.SIZE + value.length);
    if (buffer.remaining() < total) {
      return false;
    }
    new NlAttr(NlAttr.SIZE + value.length, type).pack(buffer);
    buffer.put(value);
    pad();
    return true;
  }

  NetlinkWriter attribute(int type, byte[] value) {
    if (!tryAttribute(type, value)) {
      throw new IllegalStateException("attribute " + type + " does not fit the message limit " + buffer.capacity());
    }
    return this;
  }

  boolean tryU32(int type, int value) {
    return tryAttribute(type, Structs.allocate(4).putInt(value).array());
  }

  NetlinkWriter u8(int type, int value) {
    return attribute(type, new byte[] {(byte) value});
  }

  NetlinkWriter u16(int type, int value) {
    return attribute(type, Structs.allocate(2).putShort((short) value).array());
  }

  NetlinkWriter u32(int type, int value) {
    return attribute(type, Structs.allocate(4).putInt(value).array());
  }

  /** A NUL-terminated string, as the kernel's NLA_NUL_STRING and NLA_STRING policies accept. */
  NetlinkWriter string(int type, String value) {
    byte[] text = value.getBytes(StandardCharsets.UTF_8);
    return attribute(type, Arrays.copyOf(text, text.length + 1));
  }

  /** Opens a nested attribute (NLA_F_NESTED set); returns its offset, or -1 when even its header does not fit. */
  int tryNestStart(int type) {
    if (buffer.remaining() < NlAttr.SIZE) {
      return -1;
    }
    int start = buffer.position();
    new NlAttr(0, type | NlAttr.NLA_F_NESTED).pack(buffer);
    return start;
  }

  int nestStart(int type) {
    int start = tryNestStart(type);
    if (start < 0) {
      throw new IllegalStateException("nested attribute " + type + " does not fit the message limit");
    }
    return start;
  }

  void nestEnd(int start) {
    buffer.putShort(start, (short) (buffer.position() - start));
  }

  /** Drops a nested attribute opened at {@code start} and everything written inside it. */
  void nestCancel(int start) {
    Arrays.fill(buffer.array(), start, buffer.position(), (byte) 0);
    buffer.position(start);
  }

  /** Bytes written so far. */
  int length() {
    return buffer.position();
  }

  byte[] finish() {
    buffer.putInt(0, buffer.position());
    return Arrays.copyOf(buffer.array(), buffer.position());
  }

  private void pad() {
    while (buffer.position() % Structs.ALIGNTO != 0) {
      buffer.put((byte) 0);
    }
  }

  private void require(int size) {
    if (buffer.remaining() < size) {
      throw new IllegalStateException("struct of " + size + " bytes does not fit the message limit");
    }
  }
}
