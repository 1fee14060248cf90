package io.partynet.spi;

import io.partynet.PartyConfig;
import io.partynet.PartyManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The SDK implementation's entry point (party-core provides the only one), found by
 * {@link io.partynet.PartyManager#builder()} and {@link PartyConfig#load} through
 * {@link java.util.ServiceLoader} (see {@code docs/providers.md}). Implementations have a public
 * no-argument constructor and are thread-safe.
 */
public interface PartyManagerFactory {

  PartyManager create(ManagerComponents components);

  /**
   * Loads the configuration stored in {@code home} with {@code overrides} applied for this run
   * only; see {@link PartyConfig#load}.
   */
  PartyConfig loadConfig(Path home, Map<String, String> overrides) throws IOException;
}
