package io.partynet.core.testing;

import io.partynet.Key;
import io.partynet.PartyConfig;
import io.partynet.core.internal.manager.DefaultPartyManager;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;

/**
 * Builds managers wired to test doubles, so a test reads as "alice creates, bob joins". Each
 * member gets random 32-byte keys (the doubles never do cryptography). Thread-safe (stateless).
 */
public final class TestMembers {
  private TestMembers() {}

  /** A config for a member named {@code name} whose timeouts suit tests. */
  public static PartyConfig config(String name) {
    return PartyConfig.builder()
        .home(Path.of("/nonexistent-home-" + name))
        .peerName(name)
        .interfaceName("pn-" + name)
        .heartbeatInterval(Duration.ofSeconds(10))
        .requestTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** A builder with keys, clock, scheduler and persister set; add control plane and network. */
  public static DefaultPartyManager.Builder builder(String name, Clock clock, ManualScheduler scheduler,
      InMemoryStatePersister persister, long keySeed) {
    Random random = new Random(keySeed);
    byte[] priv = new byte[32];
    byte[] pub = new byte[32];
    random.nextBytes(priv);
    random.nextBytes(pub);
    return DefaultPartyManager.builder()
        .config(config(name))
        .clock(clock)
        .scheduler(scheduler)
        .statePersister(persister)
        .keys(Key.fromBytes(priv), Key.fromBytes(pub));
  }
}
