package io.partynet.wireguard.embedded.internal.device;

import io.partynet.wireguard.embedded.internal.EmbeddedCounters;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The device's drop and event counters, shared by its receive path, its handshake handling and its
 * send stage; {@link #snapshot} is what {@code EmbeddedBackend.counters()} reports.
 *
 * <p>Thread-safe.
 */
final class DeviceCounters {
  final AtomicLong replayed = new AtomicLong();
  final AtomicLong unauthenticated = new AtomicLong();
  final AtomicLong unknownIndex = new AtomicLong();
  final AtomicLong invalidHandshakes = new AtomicLong();
  final AtomicLong sourceFiltered = new AtomicLong();
  final AtomicLong cookieReplies = new AtomicLong();
  final AtomicLong nonWireGuard = new AtomicLong();
  final AtomicLong handshakesCompleted = new AtomicLong();

  EmbeddedCounters snapshot(long sendQueueDrops, long deliveryQueueDrops) {
    return new EmbeddedCounters(replayed.get(), unauthenticated.get(), unknownIndex.get(), invalidHandshakes.get(),
        sourceFiltered.get(), cookieReplies.get(), nonWireGuard.get(), handshakesCompleted.get(), sendQueueDrops,
        deliveryQueueDrops);
  }
}
