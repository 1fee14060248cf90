package io.partynet.wireguard.embedded.internal.device;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * How the NAT traversal layer shares the WireGuard socket: the device hands it every datagram that
 * is not a WireGuard message (STUN responses, TURN ChannelData and Data indications, see
 * {@link DatagramKind}), and the layer sends through {@link Device#sendRaw}. Sharing one socket is
 * what makes a STUN mapping learned here the mapping WireGuard's own packets use.
 *
 * <p>Called on the device's receive thread: the buffer is valid only during the call (copy what
 * you keep) and implementations must not block. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface SharedSocketHook {
  SharedSocketHook NONE = (kind, datagram, source) -> { };

  void onDatagram(DatagramKind kind, ByteBuffer datagram, InetSocketAddress source);
}
