package io.partynet.wireguard.embedded.internal;

/**
 * What the embedded backend dropped and why, and how many sessions it made, counted since {@code up}.
 *
 * @param replayedPackets transport packets whose counter was already seen or too old
 * @param unauthenticatedPackets transport packets that failed decryption (wrong key, tampering)
 * @param unknownIndexPackets transport or handshake replies for a session index the device does not know
 * @param invalidHandshakes handshake messages with a bad MAC1, bad authentication, unknown peer or replayed timestamp
 * @param sourceFilteredPackets decrypted packets whose source IP is not in the sending peer's allowed IPs
 * @param cookieRepliesSent cookie replies sent because the device was under load
 * @param nonWireGuardDatagrams datagrams handed to the shared-socket hook
 * @param handshakesCompleted sessions established
 * @param sendQueueDrops transport packets dropped because the send stage's queue stayed full for
 *     50 ms (a sender outpacing encryption and the socket)
 * @param deliveryQueueDrops decrypted packets dropped because the delivery stage's queue stayed
 *     full for 50 ms (the stack falling behind the receive thread)
 *
 * <p>Immutable and thread-safe.
 */
public record EmbeddedCounters(long replayedPackets, long unauthenticatedPackets, long unknownIndexPackets,
    long invalidHandshakes, long sourceFilteredPackets, long cookieRepliesSent, long nonWireGuardDatagrams,
    long handshakesCompleted, long sendQueueDrops, long deliveryQueueDrops) {}
