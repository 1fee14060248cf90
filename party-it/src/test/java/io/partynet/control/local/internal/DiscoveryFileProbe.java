package io.partynet.control.local.internal;

import io.partynet.PartyConfig;
import io.partynet.PartyInfo;
import io.partynet.core.internal.registry.PartyRegistry;
import io.partynet.core.internal.registry.RegistrySettings;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads and edits the local plane's discovery file through the real {@link PartyRegistry}, for
 * tests that need to see what the plane holds or to make it lose an event. Lives in the local
 * plane's package because the file format is package-private. Thread-safe (each call is one
 * transaction on the file).
 */
public final class DiscoveryFileProbe {
  private final DiscoveryFile file;
  private final RegistrySettings settings;
  private final Clock clock;

  public DiscoveryFileProbe(PartyConfig config, Clock clock) {
    this.file = new DiscoveryFile(config.discoveryFile(), config.requestTimeout(), clock, false);
    this.settings = RegistrySettings.from(config);
    this.clock = clock;
  }

  public Optional<PartyInfo> party(String partyId) {
    return registry().getParty(partyId);
  }

  public Optional<Instant> lastSeen(String partyId, String peerId) {
    return registry().lastSeen(partyId, peerId);
  }

  public int partyCount() {
    return registry().partyCount();
  }

  /**
   * Removes {@code peerId} through the registry without recording its event, and pushes more
   * unrelated events than the file keeps, so every member's next poll finds a gap in the log and
   * receives the party's full state instead (as after a long pause).
   */
  public void removeSilentlyAndOverflowTheLog(String partyId, String peerId) {
    file.transact(current -> {
      PartyRegistry registry = registryOf(current);
      registry.leaveParty(partyId, peerId);
      List<DiscoveryEvent> filler = new ArrayList<>();
      long seq = current.lastSeq();
      for (int i = 0; i <= DiscoveryDocument.MAX_EVENTS; i++) {
        filler.add(new DiscoveryEvent(++seq, "unrelated-party", DiscoveryEvent.PARTY_DISBANDED, null, "filler", null,
            clock.instant()));
      }
      return new DiscoveryFile.Result<>(current.with(registry.snapshot(), filler), null);
    });
  }

  private PartyRegistry registry() {
    DiscoveryDocument doc = file.readUnlocked();
    return doc == null ? new PartyRegistry(settings, clock, new SecureRandom()) : registryOf(doc);
  }

  private PartyRegistry registryOf(DiscoveryDocument doc) {
    PartyRegistry registry = new PartyRegistry(settings, clock, new SecureRandom());
    registry.restore(doc.registry());
    return registry;
  }
}
