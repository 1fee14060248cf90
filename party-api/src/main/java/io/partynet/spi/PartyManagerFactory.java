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

  /**
   * Makes a manager; what the application did not give is found from the configuration.
   *
   * @param components what the application handed to the builder
   * @return the manager, resuming any persisted party
   */
  PartyManager create(ManagerComponents components);

  /**
   * Loads the configuration stored in {@code home} with {@code overrides} applied for this run
   * only; see {@link PartyConfig#load}.
   *
   * @param home the member's home directory
   * @param overrides setting key to text value, never written back
   * @return the configuration
   * @throws IOException when the home directory or the settings database cannot be used
   */
  PartyConfig loadConfig(Path home, Map<String, String> overrides) throws IOException;
}
