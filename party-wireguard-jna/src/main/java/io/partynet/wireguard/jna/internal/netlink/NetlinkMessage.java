package io.partynet.wireguard.jna.internal.netlink;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One message of a netlink datagram: its header and the bytes after it (up to the header's
 * length). Immutable and thread-safe.
 */
record NetlinkMessage(NlMsgHdr header, byte[] payload) {

  NetlinkMessage {
    payload = payload.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  ByteBuffer payloadBuffer() {
    return Structs.wrap(payload.clone());
  }

  /** Splits a received datagram into its messages; each header's length must lie inside the datagram. */
  static List<NetlinkMessage> parseAll(ByteBuffer datagram) throws MalformedNetlinkException {
    List<NetlinkMessage> messages = new ArrayList<>();
    while (datagram.remaining() >= NlMsgHdr.SIZE) {
      int start = datagram.position();
      NlMsgHdr header = NlMsgHdr.parse(datagram);
      if (header.length() < NlMsgHdr.SIZE || header.length() - NlMsgHdr.SIZE > datagram.remaining()) {
        throw new MalformedNetlinkException("netlink message claims " + header.length() + " bytes with "
            + (datagram.limit() - start) + " left");
      }
      byte[] payload = new byte[header.length() - NlMsgHdr.SIZE];
      datagram.get(payload);
      messages.add(new NetlinkMessage(header, payload));
      datagram.position(Math.min(datagram.limit(), start + Structs.align(header.length())));
    }
    if (datagram.hasRemaining()) {
      throw new MalformedNetlinkException(datagram.remaining() + " stray bytes after the last netlink message");
    }
    return messages;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NetlinkMessage other && other.header.equals(header) && Arrays.equals(other.payload, payload);
  }

  @Override
  public int hashCode() {
    return 31 * header.hashCode() + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "NetlinkMessage[" + header + ", " + payload.length + " payload bytes]";
  }
}
