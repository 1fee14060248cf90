package io.partynet.wireguard.embedded.internal.device;

/**
 * Receives the authenticated, source-checked IP packets that come out of the tunnel. Called on the
 * device's receive thread; the array is reused after the call returns, so implementations copy
 * what they keep and must not block.
 */
@FunctionalInterface
public interface PacketSink {
  PacketSink DISCARD = (packet, offset, length) -> { };

  void deliver(byte[] packet, int offset, int length);
}
