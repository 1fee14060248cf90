package io.partynet.control.local.internal;

import io.partynet.core.internal.registry.RegistrySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The content of the discovery file: the registry and a bounded log of recent events.
 *
 * @param version format version, {@link #VERSION}
 * @param registry every party with its members and last-seen times
 * @param events the most recent events, oldest first, at most {@link #MAX_EVENTS}
 */
record DiscoveryDocument(int version, RegistrySnapshot registry, List<DiscoveryEvent> events) {
  static final int VERSION = 1;
  static final int MAX_EVENTS = 1000;

  DiscoveryDocument {
    if (version != VERSION) {
      throw new IllegalArgumentException("unsupported discovery file version " + version + " (expected "
          + VERSION + "): remove the file or upgrade every member");
    }
    Objects.requireNonNull(registry, "registry");
    events = List.copyOf(events);
  }

  static DiscoveryDocument empty() {
    return new DiscoveryDocument(VERSION, RegistrySnapshot.empty(), List.of());
  }

  /** The sequence number of the newest event, 0 when the log is empty. */
  long lastSeq() {
    return events.isEmpty() ? 0 : events.get(events.size() - 1).seq();
  }

  /** The sequence number of the oldest event still in the log, or {@code lastSeq()+1} when empty. */
  long firstSeq() {
    return events.isEmpty() ? lastSeq() + 1 : events.get(0).seq();
  }

  DiscoveryDocument with(RegistrySnapshot newRegistry, List<DiscoveryEvent> appended) {
    List<DiscoveryEvent> all = new ArrayList<>(events);
    all.addAll(appended);
    if (all.size() > MAX_EVENTS) {
      all = all.subList(all.size() - MAX_EVENTS, all.size());
    }
    return new DiscoveryDocument(VERSION, newRegistry, all);
  }
}
