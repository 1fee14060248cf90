/** The PartyNet control plane server: {@link io.partynet.server.ControlServer} and its command line. */
package io.partynet.server;
