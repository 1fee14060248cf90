package io.partynet.wireguard.embedded.internal.stack.tcp;

/**
 * Where the stack's finished IPv4 packets go (the WireGuard device, a simulated link in tests).
 * Called with the connection's lock held; the array is reused after the call returns. Thread-safe.
 */
@FunctionalInterface
public interface IpOutput {
  /** Sends the packet; false when there is no route to its destination. */
  boolean send(byte[] packet, int offset, int length);
}
