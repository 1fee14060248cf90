package io.partynet.core.internal.discovery;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A discovery datagram as one member relays it to another through the tunnel. The sender is the
 * tunnel datagram's source (the member's virtual IP, which WireGuard authenticates); the frame
 * carries the rest:
 *
 * <pre>
 *  0      2        3      4           8          10          12
 *  | "PD" | version | kind | destination | dest port | src port | payload ...
 * </pre>
 *
 * {@code kind} 0 is a broadcast (destination 255.255.255.255), 1 a multicast (destination in
 * 224.0.0.0/4). All numbers big-endian. Immutable.
 */
public record RelayFrame(boolean multicast, int destinationIp, int destinationPort, int sourcePort, byte[] payload) {
  public static final int HEADER_BYTES = 12;
  static final byte MAGIC_0 = 'P';
  static final byte MAGIC_1 = 'D';
  static final byte VERSION = 1;

  public RelayFrame {
    Objects.requireNonNull(payload, "payload");
    if (multicast != Ipv4.isMulticast(destinationIp) || !multicast && destinationIp != Ipv4.LIMITED_BROADCAST) {
      throw new IllegalArgumentException("a broadcast frame goes to 255.255.255.255, a multicast one to 224.0.0.0/4: "
          + Ipv4.format(destinationIp));
    }
    if (destinationPort < 1 || destinationPort > 65535 || sourcePort < 1 || sourcePort > 65535) {
      throw new IllegalArgumentException("ports must be in 1..65535");
    }
  }

  /** The frame of a captured datagram: broadcasts of any kind become 255.255.255.255. */
  public static RelayFrame of(LanDatagram captured) {
    int destination = Ipv4.parse(captured.destinationIp());
    boolean multicast = Ipv4.isMulticast(destination);
    return new RelayFrame(multicast, multicast ? destination : Ipv4.LIMITED_BROADCAST, captured.destinationPort(),
        captured.sourcePort(), captured.payload());
  }

  public byte[] encode() {
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + payload.length);
    out.put(MAGIC_0).put(MAGIC_1).put(VERSION).put((byte) (multicast ? 1 : 0)).putInt(destinationIp)
        .putShort((short) destinationPort).putShort((short) sourcePort).put(payload);
    return out.array();
  }

  /**
   * Decodes a frame of at most {@code maxPayload} payload bytes.
   *
   * @throws MalformedFrameException for anything else
   */
  public static RelayFrame decode(byte[] bytes, int maxPayload) throws MalformedFrameException {
    if (bytes.length < HEADER_BYTES) {
      throw new MalformedFrameException("shorter than the " + HEADER_BYTES + "-byte header: " + bytes.length);
    }
    if (bytes.length - HEADER_BYTES > maxPayload) {
      throw new MalformedFrameException("payload of " + (bytes.length - HEADER_BYTES) + " bytes exceeds " + maxPayload);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (in.get() != MAGIC_0 || in.get() != MAGIC_1) {
      throw new MalformedFrameException("not a discovery frame (magic)");
    }
    byte version = in.get();
    if (version != VERSION) {
      throw new MalformedFrameException("unsupported version " + version);
    }
    byte kind = in.get();
    if (kind != 0 && kind != 1) {
      throw new MalformedFrameException("unknown kind " + kind);
    }
    int destination = in.getInt();
    int destinationPort = Short.toUnsignedInt(in.getShort());
    int sourcePort = Short.toUnsignedInt(in.getShort());
    byte[] payload = new byte[in.remaining()];
    in.get(payload);
    try {
      return new RelayFrame(kind == 1, destination, destinationPort, sourcePort, payload);
    } catch (IllegalArgumentException e) {
      throw new MalformedFrameException(e.getMessage());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RelayFrame f && f.multicast == multicast && f.destinationIp == destinationIp
        && f.destinationPort == destinationPort && f.sourcePort == sourcePort
        && java.util.Arrays.equals(f.payload, payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(multicast, destinationIp, destinationPort, sourcePort, java.util.Arrays.hashCode(payload));
  }

  @Override
  public String toString() {
    return (multicast ? "multicast " : "broadcast ") + Ipv4.format(destinationIp) + ":" + destinationPort
        + " from port " + sourcePort + " (" + payload.length + " bytes)";
  }
}
