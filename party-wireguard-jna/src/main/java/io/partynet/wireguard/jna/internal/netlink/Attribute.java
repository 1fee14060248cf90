package io.partynet.wireguard.jna.internal.netlink;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One parsed netlink attribute: its number (flag bits removed) and its value bytes. Accessors
 * check the value's size, so a malformed reply becomes a {@link MalformedNetlinkException}.
 *
 * <p>Immutable and thread-safe.
 */
final class Attribute {
  private final int number;
  private final byte[] value;

  Attribute(int number, byte[] value) {
    this.number = number;
    this.value = value.clone();
  }

  int number() {
    return number;
  }

  byte[] bytes() {
    return value.clone();
  }

  int length() {
    return value.length;
  }

  int u8() throws MalformedNetlinkException {
    return Byte.toUnsignedInt(fixed(1).get());
  }

  int u16() throws MalformedNetlinkException {
    return Short.toUnsignedInt(fixed(2).getShort());
  }

  int u32() throws MalformedNetlinkException {
    return fixed(4).getInt();
  }

  long u64() throws MalformedNetlinkException {
    return fixed(8).getLong();
  }

  /** A NUL-terminated (or unterminated) string attribute. */
  String string() {
    int end = 0;
    while (end < value.length && value[end] != 0) {
      end++;
    }
    return new String(value, 0, end, StandardCharsets.UTF_8);
  }

  ByteBuffer buffer() {
    return Structs.wrap(value).asReadOnlyBuffer().order(java.nio.ByteOrder.nativeOrder());
  }

  List<Attribute> nested() throws MalformedNetlinkException {
    return parseAll(Structs.wrap(value.clone()));
  }

  private ByteBuffer fixed(int size) throws MalformedNetlinkException {
    if (value.length != size) {
      throw new MalformedNetlinkException("attribute " + number + " should hold " + size + " bytes, has " + value.length);
    }
    return Structs.wrap(value);
  }

  /** Parses attributes from the buffer's position to its limit. */
  static List<Attribute> parseAll(ByteBuffer buffer) throws MalformedNetlinkException {
    List<Attribute> result = new ArrayList<>();
    while (buffer.remaining() >= NlAttr.SIZE) {
      int start = buffer.position();
      NlAttr header = NlAttr.parse(buffer);
      if (header.length() < NlAttr.SIZE || header.length() - NlAttr.SIZE > buffer.remaining()) {
        throw new MalformedNetlinkException("attribute " + header.number() + " claims " + header.length()
            + " bytes with " + (buffer.remaining() + NlAttr.SIZE) + " left");
      }
      byte[] value = new byte[header.length() - NlAttr.SIZE];
      buffer.get(value);
      result.add(new Attribute(header.number(), value));
      buffer.position(Math.min(buffer.limit(), start + Structs.align(header.length())));
    }
    if (buffer.hasRemaining()) {
      throw new MalformedNetlinkException(buffer.remaining() + " stray bytes after the last attribute");
    }
    return result;
  }

  static Optional<Attribute> first(List<Attribute> attributes, int number) {
    return attributes.stream().filter(a -> a.number == number).findFirst();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attribute other && other.number == number && Arrays.equals(other.value, value);
  }

  @Override
  public int hashCode() {
    return 31 * number + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "Attribute[" + number + ", " + value.length + " bytes]";
  }
}
