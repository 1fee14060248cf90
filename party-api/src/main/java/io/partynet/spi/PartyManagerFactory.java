package io.partynet.spi;

import io.partynet.PartyManager;

/**
 * The SDK implementation's entry point (party-core provides the only one), found by
 * {@link io.partynet.PartyManager#builder()} through {@link java.util.ServiceLoader}.
 */
public interface PartyManagerFactory {

  PartyManager create(ManagerComponents components);
}
