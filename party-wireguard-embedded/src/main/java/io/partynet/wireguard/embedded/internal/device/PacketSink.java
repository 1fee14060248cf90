package io.partynet.wireguard.embedded.internal.device;

/**
 * Receives the authenticated, source-checked IP packets that come out of the tunnel. Called on the
 * device's delivery thread ({@link DeliveryStage}), one packet at a time in the order their counters
 * were accepted (a packet longer than a delivery slot comes from the receive thread once the
 * queue has drained, never at the same time as another); the array is reused after the call
 * returns, so implementations copy what they keep and must not block. Local deliveries (to the own
 * virtual IP) come from sending threads, so implementations must be thread-safe.
 */
@FunctionalInterface
public interface PacketSink {
  PacketSink DISCARD = (packet, offset, length) -> { };

  void deliver(byte[] packet, int offset, int length);
}
