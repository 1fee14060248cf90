/**
 * The PartyNet API that applications use: the {@link io.partynet.PartyManager} facade, the party
 * models, events and typed exceptions. Everything here is either an immutable value or a
 * thread-safe interface; implementations live in other modules and are found at run time.
 */
package io.partynet;
