/**
 * PartyNet's public API: the models, the {@link io.partynet.PartyManager} facade, events, typed
 * exceptions ({@code io.partynet}) and the service provider interface that implementations,
 * control planes and network backends implement ({@code io.partynet.spi}).
 */
module io.partynet {
  requires org.slf4j;

  exports io.partynet;
  exports io.partynet.spi;

  // PartyManager.builder().build() and PartyConfig.load find the SDK implementation (party-core)
  // with ServiceLoader. Control planes and network backends are discovered by that implementation,
  // not by this module, so they need no 'uses' here.
  uses io.partynet.spi.PartyManagerFactory;
}
