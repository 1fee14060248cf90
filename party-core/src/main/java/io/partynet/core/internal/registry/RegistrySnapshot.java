package io.partynet.core.internal.registry;

import java.util.List;

/** The whole registry as data, for persistence. Immutable. */
public record RegistrySnapshot(List<PartyEntry> parties) {
  public RegistrySnapshot {
    parties = List.copyOf(parties);
  }

  public static RegistrySnapshot empty() {
    return new RegistrySnapshot(List.of());
  }
}
