package io.partynet.core.internal.discovery;

import io.partynet.DiscoveryStats;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The relay's counters; {@link #snapshot} turns them into the public {@link DiscoveryStats}. Thread-safe. */
public final class DiscoveryCounters {
  final LongAdder relayed = new LongAdder();
  final LongAdder delivered = new LongAdder();
  final LongAdder dropped = new LongAdder();
  final LongAdder rateLimited = new LongAdder();
  /** Bounded by the scope's ports: only ports the scope carries are counted. */
  private final Map<Integer, LongAdder> portsSeen = new ConcurrentHashMap<>();

  void seen(int port) {
    portsSeen.computeIfAbsent(port, p -> new LongAdder()).increment();
  }

  /** @param captureOverflows what the tap's capture buffer dropped so far ({@link DiscoveryTap#captureOverflows()}) */
  public DiscoveryStats snapshot(String mode, long captureOverflows) {
    Map<Integer, Long> ports = new HashMap<>();
    portsSeen.forEach((port, count) -> ports.put(port, count.sum()));
    return new DiscoveryStats(mode, relayed.sum(), delivered.sum(), dropped.sum(), rateLimited.sum(), captureOverflows,
        ports);
  }
}
